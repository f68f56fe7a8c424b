TARGET := dummy
SRC_C  := main.c
LIBS   := base util
