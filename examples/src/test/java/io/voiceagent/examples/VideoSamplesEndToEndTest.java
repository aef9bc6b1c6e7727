package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.examples.avatar.AvatarCommand;
import io.voiceagent.examples.video.SendJpegCommand;
import io.voiceagent.examples.video.SendYuvCommand;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * send-yuv and send-jpeg in this JVM, {@code listen --video} in another: the frames cross processes
 * (as datagram fragments on the loopback library) and the PNGs the listener saves show what was sent.
 */
class VideoSamplesEndToEndTest {

    private static String run(String name, java.util.function.Function<PrintStream, Object> command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new AgentCli()).addSubcommand(name + "-local", command.apply(ps));
        String[] full = new String[args.length + 1];
        full[0] = name + "-local";
        System.arraycopy(args, 0, full, 1, args.length);
        int rc = cli.execute(full);
        assertThat(rc).as("%s output:\n%s", name, out).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listenSavesTheFramesThatSendYuvAndSendJpegSent(@TempDir Path dir) throws Exception {
        // 10 frames of 160 x 120 I420: Y = 40 + 10 x frame, grey chroma.
        int w = 160;
        int h = 120;
        byte[] yuv = new byte[10 * w * h * 3 / 2];
        for (int f = 0; f < 10; f++) {
            int base = f * w * h * 3 / 2;
            java.util.Arrays.fill(yuv, base, base + w * h, (byte) (40 + 10 * f));
            java.util.Arrays.fill(yuv, base + w * h, base + w * h * 3 / 2, (byte) 128);
        }
        Path yuvFile = dir.resolve("clip.yuv");
        Files.write(yuvFile, yuv);
        Path jpegs = Files.createDirectories(dir.resolve("jpegs"));
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new Color(200, 40, 40));
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        ImageIO.write(img, "jpeg", jpegs.resolve("red.jpeg").toFile());
        Files.writeString(jpegs.resolve("notes.txt"), "not a picture");

        String channel = "video-samples-" + ProcessHandle.current().pid();
        Path out = dir.resolve("out");
        Process listener = Jvm.agent("listen", "--channel", channel, "--out", out.toString(), "--video",
                "--video-every", "5", "--idle-seconds", "1.5", "--seconds", "40");
        try {
            Jvm.readUntil(listener, "listening on channel");
            String yuvOut = run("send-yuv", SendYuvCommand::new, "--channel", channel, "--file", yuvFile.toString(),
                    "--width", "160", "--height", "120", "--fps", "25");
            assertThat(yuvOut).contains("sent 10 video frames");
            String jpegOut = run("send-jpeg", SendJpegCommand::new, "--channel", channel, "--path", jpegs.toString(),
                    "--fps", "25", "--frames", "5");
            assertThat(jpegOut).contains("sending 1 picture(s) of 64x48 as 5 RGBA frames", "sent 5 video frames");
            assertThat(listener.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String log = new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(listener.exitValue()).as(log).isZero();
            assertThat(log).contains("received video yuv-sender 10 frames 160x120",
                    "received video jpeg-sender 5 frames 64x48");
            // Frames 1 and 6 of the clip were saved; decoded as BT.601 limited range (what the sender used).
            BufferedImage first = ImageIO.read(out.resolve("yuv-sender-1.png").toFile());
            BufferedImage sixth = ImageIO.read(out.resolve("yuv-sender-6.png").toFile());
            assertThat(first.getWidth()).isEqualTo(160);
            assertThat(first.getRGB(80, 60) & 0xff).isCloseTo((int) Math.round((40 - 16) * 255 / 219.0),
                    org.assertj.core.data.Offset.offset(2));
            assertThat(sixth.getRGB(80, 60) & 0xff).isCloseTo((int) Math.round((90 - 16) * 255 / 219.0),
                    org.assertj.core.data.Offset.offset(2));
            int red = ImageIO.read(out.resolve("jpeg-sender-1.png").toFile()).getRGB(32, 24);
            assertThat(new int[] {red >> 16 & 0xff, red >> 8 & 0xff, red & 0xff}).satisfies(c -> {
                assertThat(c[0]).isCloseTo(200, org.assertj.core.data.Offset.offset(8));
                assertThat(c[1]).isCloseTo(40, org.assertj.core.data.Offset.offset(8));
                assertThat(c[2]).isCloseTo(40, org.assertj.core.data.Offset.offset(8));
            });
        } finally {
            listener.destroyForcibly();
        }
    }

    @Test
    void badVideoInputNamesTheOption(@TempDir Path dir) throws Exception {
        Path tiny = dir.resolve("tiny.yuv");
        Files.write(tiny, new byte[100]);
        Jvm.Run r = Jvm.run("send-yuv", "--channel", "c", "--file", tiny.toString(), "--width", "160", "--height",
                "120");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--file").contains("less than one 160 x 120 I420 frame");
        Jvm.Run odd = Jvm.run("avatar", "--channel", "c", "--fps", "30", "--seconds", "1");
        assertThat(odd.exitCode()).isEqualTo(2);
        assertThat(odd.err()).contains("fps").contains("30");
    }

    @Test
    void theAvatarCommandDrawsAt25FramesPerSecond() {
        String out = run("avatar", AvatarCommand::new, "--channel", "avatar-cli-" + ProcessHandle.current().pid(),
                "--port", "0", "--seconds", "2");
        assertThat(out).contains("avatar ready on channel").contains("agent WebSocket ws://127.0.0.1:");
        String stats = out.lines().filter(l -> l.startsWith("avatar stopping:")).findFirst().orElseThrow();
        int frames = Integer.parseInt(stats.replaceAll("avatar stopping: (\\d+) video frames.*", "$1"));
        assertThat(frames).as(stats).isBetween(40, 56);
    }
}
