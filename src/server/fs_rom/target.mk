TARGET := fs_rom
SRC_C  := main.c
LIBS   := base util os
