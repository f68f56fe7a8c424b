TARGET := report_rom
SRC_C  := main.c
LIBS   := rom base util
