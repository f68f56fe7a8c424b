TARGET := test-quota_hog
SRC_C  := main.c
LIBS   := base util
