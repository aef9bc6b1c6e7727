int loopback_placeholder(void) { return 0; }
