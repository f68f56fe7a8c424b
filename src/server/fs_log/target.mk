TARGET := fs_log
SRC_C  := main.c
LIBS   := base util os
