package io.voiceagent.agora;

/** Verbosity of the native SDK's own log file (its LOG_FILTER values). */
public enum LogLevel {
    OFF(0),
    DEBUG(0x080f),
    INFO(0x000f),
    WARN(0x000e),
    ERROR(0x000c),
    CRITICAL(0x0008);

    private final int filter;

    LogLevel(int filter) {
        this.filter = filter;
    }

    /** The value passed to {@code agora_service_set_log_filter}. */
    public int filter() {
        return filter;
    }
}
