TARGET := rom_fallback
SRC_C  := main.c
LIBS   := rom base util
