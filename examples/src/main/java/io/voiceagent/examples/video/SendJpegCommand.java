package io.voiceagent.examples.video;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.video.ColorSpace;
import io.voiceagent.agora.video.LocalVideoTrack;
import io.voiceagent.agora.video.VideoCodec;
import io.voiceagent.agora.video.VideoEncoderConfig;
import io.voiceagent.agora.video.VideoFrame;
import io.voiceagent.agora.video.VideoPixelFormat;
import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.ConnectionOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sends a JPEG file, or every {@code .jpg}/{@code .jpeg} of a folder in name order, as RGBA video
 * frames at N fps, as Agora's {@code example_jpeg_send} does: each picture is decoded once up front
 * with {@code javax.imageio} into {@code W x H x 4} RGBA bytes, then the pictures are cycled.
 */
@Command(name = "send-jpeg", mixinStandardHelpOptions = true,
        description = "Send a JPEG file or a folder of them as RGBA video frames at N fps.")
public final class SendJpegCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions conn;

    @Option(names = {"-u", "--user-id"}, defaultValue = "jpeg-sender", description = "this side's user id (default: ${DEFAULT-VALUE})")
    String userId;

    @Option(names = {"-p", "--path"}, required = true, description = "a .jpg/.jpeg file, or a folder of them")
    Path path;

    @Option(names = "--fps", defaultValue = "30", description = "frames per second (default: ${DEFAULT-VALUE})")
    int fps;

    @Option(names = "--frames", defaultValue = "0", description = "frames to send; 0 = one per picture (default)")
    int frames;

    @Option(names = "--color-space", defaultValue = "default",
            description = "how the encoder converts RGBA: default, bt709-full, bt709-limited, bt601-limited (default: ${DEFAULT-VALUE})")
    String colorSpace;

    private final PrintStream out;

    public SendJpegCommand() {
        this(System.out);
    }

    public SendJpegCommand(PrintStream out) {
        this.out = out;
    }

    /** A colour space by its option name. */
    public static ColorSpace colorSpace(String option, String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "default" -> ColorSpace.DEFAULT;
            case "bt709-full" -> ColorSpace.BT709_FULL;
            case "bt709-limited" -> ColorSpace.BT709_LIMITED;
            case "bt601-limited" -> ColorSpace.BT601_LIMITED;
            default -> throw new BadInputException(option, name, "must be default, bt709-full, bt709-limited or"
                    + " bt601-limited");
        };
    }

    /** Decodes {@code file} into tightly packed RGBA bytes. */
    public static byte[] rgba(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 4];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            out[4 * i] = (byte) (p >> 16);
            out[4 * i + 1] = (byte) (p >> 8);
            out[4 * i + 2] = (byte) p;
            out[4 * i + 3] = (byte) (p >>> 24);
        }
        return out;
    }

    @Override
    public Integer call() throws Exception {
        BadInputException.atLeast("--fps", fps, 1);
        BadInputException.atLeast("--frames", frames, 0);
        ColorSpace cs = colorSpace("--color-space", colorSpace);
        List<Path> files = pictures();
        List<VideoFrame> pictures = new ArrayList<>();
        int width = 0;
        int height = 0;
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null) {
                throw new BadInputException("--path", f, "is not a JPEG that javax.imageio can decode");
            }
            if (width == 0) {
                width = img.getWidth();
                height = img.getHeight();
            } else if (img.getWidth() != width || img.getHeight() != height) {
                throw new BadInputException("--path", f, "is " + img.getWidth() + "x" + img.getHeight()
                        + ", but the first picture is " + width + "x" + height + ": every picture must have one size");
            }
            if ((width & 1) != 0 || (height & 1) != 0) {
                throw new BadInputException("--path", f, "is " + width + "x" + height + ": video needs even sizes");
            }
            pictures.add(VideoFrame.builder(VideoPixelFormat.RGBA, width, height, rgba(img)).colorSpace(cs)
                    .metadata("hello metadata".getBytes(StandardCharsets.UTF_8)).build());
        }
        int total = frames > 0 ? frames : pictures.size();
        try (AgoraService service = AgoraService.create(conn.videoServiceConfig());
                LocalVideoTrack track = LocalVideoTrack.create(service, VideoEncoderConfig.builder(width, height)
                        .codec(VideoCodec.NONE).frameRate(Math.min(60, fps)).build());
                RtcConnection connection = service.createConnection()) {
            connection.connect(conn.token(), conn.channel(), userId);
            track.publish(connection);
            out.printf("sending %d picture(s) of %dx%d as %d RGBA frames to channel %s as %s at %d fps%n",
                    pictures.size(), width, height, total, conn.channel(), userId, fps);
            FramePacer pacer = new FramePacer(fps);
            for (int i = 0; i < total; i++) {
                pacer.awaitNext();
                track.send(pictures.get(i % pictures.size()));
            }
            Thread.sleep(100);
            out.printf("sent %d video frames%n", total);
        }
        return 0;
    }

    private List<Path> pictures() throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new BadInputException("--path", path, "is neither a file nor a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(path)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new BadInputException("--path", path, "has no .jpg or .jpeg file");
        }
        return files;
    }
}
