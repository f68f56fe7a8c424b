TARGET := test-escape
SRC_C  := main.c report.c sys.c proc.c mem.c exec.c caps.c kernel.c victim.c hold.c
LIBS   := base util
