TARGET := dynamic_rom
SRC_C  := main.c
LIBS   := rom os base util
