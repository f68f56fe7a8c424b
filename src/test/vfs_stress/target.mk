TARGET := vfs_stress
SRC_C  := main.c
LIBS   := base util os
