# lib.mk - os library: session client libraries (Timer, Rtc, File_system) and packet streams
SRC_C := timer.c packet_stream.c packet_stream_channel.c fs_client.c
