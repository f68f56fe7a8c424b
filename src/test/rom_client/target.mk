TARGET := test-rom_client
SRC_C  := main.c
LIBS   := rom os base util
