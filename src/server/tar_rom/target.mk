TARGET := tar_rom
SRC_C  := main.c
LIBS   := base util os vfs
