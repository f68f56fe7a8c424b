/* log.h - text output through the component's LOG session */
#pragma once

/*
 * Each call prints one line (or several, split at newlines) atomically at
 * the LOG server, which prefixes it with the session label, e.g.
 * `[init -> hello] text`. Warnings are prefixed `Warning: ` and errors
 * `Error: `, coloured as the original does (blue, red).
 */
void cairn_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cairn_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cairn_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* print an error and exit the component with value 1 */
_Noreturn void cairn_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
