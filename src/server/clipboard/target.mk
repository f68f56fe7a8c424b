TARGET := clipboard
SRC_C  := main.c
LIBS   := rom base util
