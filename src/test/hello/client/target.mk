TARGET := hello_client
SRC_C  := main.c
LIBS   := base util
