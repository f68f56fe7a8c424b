# lib.mk - library `rom`: ROM/Report server sessions and services, watched ROMs and config, reporter
SRC_C := rom_buf.c rom_session.c report_session.c rom_service.c log_lines.c watched_rom.c reporter.c
