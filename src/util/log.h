/* log.h — the one logging call: a timestamped line on stderr, safe from any thread. */
#ifndef CARTOUCHE_LOG_H
#define CARTOUCHE_LOG_H

void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
