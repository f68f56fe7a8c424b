TARGET := test-quota
SRC_C  := main.c misbehave.c well_behaved.c
LIBS   := base util
