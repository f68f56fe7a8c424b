TARGET := rom_logger
SRC_C  := main.c
LIBS   := rom base util
