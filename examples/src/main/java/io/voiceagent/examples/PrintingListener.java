package io.voiceagent.examples;

import io.voiceagent.agora.ConnectionChangedReason;
import io.voiceagent.agora.ConnectionInfo;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionListener;
import io.voiceagent.agora.UserOfflineReason;
import java.io.PrintStream;

/** Prints who joins and leaves a channel; runs {@code onFailure} when the connection fails. */
final class PrintingListener implements RtcConnectionListener {
    private final PrintStream out;
    private final Runnable onFailure;

    PrintingListener(PrintStream out, Runnable onFailure) {
        this.out = out;
        this.onFailure = onFailure;
    }

    @Override
    public void onUserJoined(RtcConnection c, String user) {
        out.println("joined " + user);
    }

    @Override
    public void onUserLeft(RtcConnection c, String user, UserOfflineReason reason) {
        out.println("left " + user + " (" + reason + ")");
    }

    @Override
    public void onConnectionFailure(RtcConnection c, ConnectionInfo info, ConnectionChangedReason reason) {
        out.println("connection failed: " + reason);
        onFailure.run();
    }
}
