TARGET := vfs
SRC_C  := main.c
LIBS   := base util os vfs
