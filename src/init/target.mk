TARGET := init
SRC_C  := main.c reconfig.c keep.c config.c route.c prio.c child.c parent.c session.c call.c \
          local.c state.c report.c
LIBS   := rom os base util
