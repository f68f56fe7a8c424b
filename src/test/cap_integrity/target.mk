TARGET := test-cap_integrity
SRC_C  := main.c forge.c rom_write.c host_probes.c
LIBS   := base util
