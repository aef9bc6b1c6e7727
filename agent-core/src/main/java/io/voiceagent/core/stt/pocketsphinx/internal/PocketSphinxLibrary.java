package io.voiceagent.core.stt.pocketsphinx.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.ptr.IntByReference;

/**
 * The raw C API of PocketSphinx 5prealpha (Debian's {@code libpocketsphinx3}) and the part of
 * SphinxBase it needs ({@code libsphinxbase3}), one Java method per C function, same names, as
 * declared in {@code pocketsphinx.h} and {@code sphinxbase/cmd_ln.h}, {@code sphinxbase/err.h}.
 * Not exported: the typed API is {@link io.voiceagent.core.stt.pocketsphinx.PocketSphinxStt}.
 */
public final class PocketSphinxLibrary {

    /** {@code ps_decoder_t *}: owned by one Java decoder, freed once with {@code ps_free}. */
    public static final class PsDecoder extends PointerType {
        public PsDecoder() {
        }
    }

    /** {@code cmd_ln_t *}: a parsed configuration, released with {@code cmd_ln_free_r}. */
    public static final class CmdLn extends PointerType {
        public CmdLn() {
        }
    }

    /** {@code arg_t const *}: the static argument definitions of {@code ps_args()}. */
    public static final class ArgDefs extends PointerType {
        public ArgDefs() {
        }
    }

    /** libpocketsphinx.so.3. */
    public interface PocketSphinx extends Library {
        ArgDefs ps_args();

        PsDecoder ps_init(CmdLn config);

        int ps_free(PsDecoder ps);

        int ps_start_utt(PsDecoder ps);

        int ps_process_raw(PsDecoder ps, short[] data, NativeLong nSamples, int noSearch, int fullUtt);

        int ps_end_utt(PsDecoder ps);

        String ps_get_hyp(PsDecoder ps, IntByReference outBestScore);
    }

    /** libsphinxbase.so.3. */
    public interface SphinxBase extends Library {
        CmdLn cmd_ln_parse_r(CmdLn inoutCmdln, ArgDefs defn, int argc, String[] argv, int strict);

        int cmd_ln_free_r(CmdLn cmdln);

        void err_set_logfp(Pointer stream);
    }

    private PocketSphinxLibrary() {
    }

    /** Loads both libraries (by their Debian sonames, then the unversioned names). */
    public static Loaded load() {
        SphinxBase base = loadOne(SphinxBase.class, "libsphinxbase.so.3", "sphinxbase");
        PocketSphinx ps = loadOne(PocketSphinx.class, "libpocketsphinx.so.3", "pocketsphinx");
        return new Loaded(ps, base);
    }

    /** The two loaded libraries. */
    public record Loaded(PocketSphinx ps, SphinxBase base) {
    }

    private static <T extends Library> T loadOne(Class<T> type, String soname, String name) {
        try {
            return Native.load(soname, type);
        } catch (UnsatisfiedLinkError first) {
            try {
                return Native.load(name, type);
            } catch (UnsatisfiedLinkError second) {
                first.addSuppressed(second);
                throw first;
            }
        }
    }
}
