package io.voiceagent.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's files ({@code test_data/...}) from any working directory. */
public final class Resources {
    private Resources() {}

    /**
     * {@code path} if it exists; else, for a relative path, the same path under the project root (found
     * from the samples' jar, {@code examples/target/examples.jar}).
     *
     * @param option the command-line option that gave {@code path}, for the error
     * @throws BadInputException naming the option and the path if it is found nowhere
     */
    public static Path find(String option, Path path) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!path.isAbsolute()) {
            try {
                Path code = Path.of(Resources.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                for (Path dir = code.getParent(); dir != null; dir = dir.getParent()) {
                    Path candidate = dir.resolve(path);
                    if (Files.isRegularFile(candidate)) {
                        return candidate;
                    }
                }
            } catch (Exception e) {
                // fall through to the error below
            }
        }
        throw new BadInputException(option, path, "is not a readable file (nor under the project folder)");
    }
}
