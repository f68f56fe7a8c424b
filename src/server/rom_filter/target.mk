TARGET := rom_filter
SRC_C  := main.c input.c output.c
LIBS   := rom base util
