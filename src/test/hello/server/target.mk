TARGET := hello_server
SRC_C  := main.c
LIBS   := base util
