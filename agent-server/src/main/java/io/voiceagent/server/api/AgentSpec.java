package io.voiceagent.server.api;

import io.voiceagent.agora.RtcConnection;
import io.voiceagent.core.agent.InterruptMode;
import io.voiceagent.core.vad.VadV2Config;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one agent runs, parsed and checked from the {@code properties} of a join request (the shape
 * of Agora's Conversational AI Engine) and mapped onto this project's providers:
 *
 * <table>
 * <caption>Request fields</caption>
 * <tr><td>{@code channel}, {@code token}</td><td>the channel to join and its RTC token ({@code ""} for
 *     an app id without certificate; never logged)</td></tr>
 * <tr><td>{@code agent_rtc_uid}</td><td>the agent's user id; {@code "0"} lets the server pick one</td></tr>
 * <tr><td>{@code remote_rtc_uids}</td><td>the users it listens to; {@code ["*"]} (default) for everyone</td></tr>
 * <tr><td>{@code enable_string_uid}</td><td>false (default): uids must be numbers 0..2^32-1</td></tr>
 * <tr><td>{@code idle_timeout}</td><td>seconds without any of those users in the channel before the
 *     agent leaves by itself; 0 = never; default 30</td></tr>
 * <tr><td>{@code llm}</td><td>{@code url} of an OpenAI-compatible API ({@code .../v1} or
 *     {@code .../v1/chat/completions}), {@code api_key}, {@code params.model}, {@code system_messages},
 *     {@code greeting_message} (said when the first user is there), {@code failure_message} (said when a
 *     round fails), {@code max_history}; {@code output_modalities: ["audio"]} makes it an LLM that answers
 *     with audio (the {@code /audio/chat/completions} endpoint), otherwise its text is spoken by the TTS</td></tr>
 * <tr><td>{@code tts}</td><td>{@code vendor: "espeak-ng"} (the engine this server has), {@code params.voice},
 *     {@code params.speed} (words per minute); required with a text LLM</td></tr>
 * <tr><td>{@code asr}</td><td>{@code vendor: "openai"} transcription, {@code language} ({@code en-US} or
 *     {@code en}), {@code params.url}/{@code api_key}/{@code model} (default: the LLM's url and key)</td></tr>
 * <tr><td>{@code vad}</td><td>Agora's {@code silence_duration_ms}, {@code prefix_padding_ms},
 *     {@code interrupt_duration_ms}, {@code threshold} (0..1), or any {@link VadV2Config} parameter by name</td></tr>
 * <tr><td>{@code interrupt_mode}</td><td>{@code voice_activation} (default) or {@code asr_activation}</td></tr>
 * </table>
 *
 * <p>Unknown fields are ignored (requests written for Agora's service carry more); a known field with
 * a bad value is a 400 naming it. Immutable; {@link #toString()} shows no token or key.
 */
public final class AgentSpec {
    /** Default {@code idle_timeout}: 30 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final String channel;
    private final String token;
    private final String agentUid;
    private final Set<String> remoteUids;
    private final boolean stringUids;
    private final Duration idleTimeout;
    private final InterruptMode interruptMode;
    private final Llm llm;
    private final Tts tts;
    private final Asr asr;
    private final VadV2Config vad;

    /**
     * The LLM block.
     *
     * @param baseUri the API's base ({@code .../v1}), endpoint paths are appended to it
     * @param apiKey bearer key, or null; never logged
     * @param model model name, or null for the client's default
     * @param instructions the system messages joined by new lines, or null
     * @param greeting said when the first listened-to user is in the channel, or null
     * @param failureMessage said when a round fails, or null
     * @param maxHistory user and assistant messages kept
     * @param audioOutput whether the LLM answers with audio (the audio-modalities endpoint)
     */
    public record Llm(URI baseUri, String apiKey, String model, String instructions, String greeting,
            String failureMessage, int maxHistory, boolean audioOutput) {
        @Override
        public String toString() {
            return "Llm[" + baseUri + (apiKey == null ? "" : ", key <redacted>") + ", model=" + model
                    + (audioOutput ? ", audio" : ", text") + "]";
        }
    }

    /** The TTS block: espeak-ng with {@code voice} at {@code wordsPerMinute}. */
    public record Tts(String voice, int wordsPerMinute) {}

    /**
     * The ASR block.
     *
     * @param baseUri the transcription API's base
     * @param apiKey bearer key, or null; never logged
     * @param model model name, or null for the client's default
     * @param language ISO-639 code such as {@code en}, or null to detect
     */
    public record Asr(URI baseUri, String apiKey, String model, String language) {
        @Override
        public String toString() {
            return "Asr[" + baseUri + (apiKey == null ? "" : ", key <redacted>") + ", model=" + model + ", language="
                    + language + "]";
        }
    }

    private AgentSpec(String channel, String token, String agentUid, Set<String> remoteUids, boolean stringUids,
            Duration idleTimeout, InterruptMode interruptMode, Llm llm, Tts tts, Asr asr, VadV2Config vad) {
        this.channel = channel;
        this.token = token;
        this.agentUid = agentUid;
        this.remoteUids = Set.copyOf(remoteUids);
        this.stringUids = stringUids;
        this.idleTimeout = idleTimeout;
        this.interruptMode = interruptMode;
        this.llm = llm;
        this.tts = tts;
        this.asr = asr;
        this.vad = vad;
    }

    /**
     * Parses and checks {@code properties} (errors name {@code properties.<field>}).
     *
     * @throws ApiException 400 naming the first bad field
     */
    static AgentSpec parse(JsonFields p) {
        String channel = p.requireString("channel");
        try {
            RtcConnection.validateChannel(channel);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(p.name("channel"), "is not a valid channel name: " + e.getMessage());
        }
        String token = p.secret("token");
        boolean stringUids = p.bool("enable_string_uid", false);
        String uid = p.stringOrInteger("agent_rtc_uid");
        if (uid == null) {
            throw ApiException.badRequest(p.name("agent_rtc_uid"), "is required (\"0\" lets the server pick one)");
        }
        checkUid(p.name("agent_rtc_uid"), uid, stringUids);
        List<String> remote = p.strings("remote_rtc_uids");
        Set<String> remoteUids = new LinkedHashSet<>();
        if (remote != null) {
            if (remote.isEmpty()) {
                throw ApiException.badRequest(p.name("remote_rtc_uids"), "must list user ids, or [\"*\"] for everyone");
            }
            for (int i = 0; i < remote.size(); i++) {
                String u = remote.get(i);
                if (!u.equals("*")) {
                    checkUid(p.name("remote_rtc_uids") + "[" + i + "]", u, stringUids);
                    if (!stringUids && u.equals("0")) {
                        throw ApiException.badRequest(p.name("remote_rtc_uids") + "[" + i + "]",
                                "must be a user's uid; 0 is not one");
                    }
                }
                remoteUids.add(u);
            }
            if (remoteUids.contains("*")) {
                remoteUids.clear();
            }
        }
        if (!remoteUids.isEmpty() && remoteUids.contains(uid)) {
            throw ApiException.badRequest(p.name("remote_rtc_uids"), "must not contain the agent's own uid " + uid);
        }
        Duration idle = Duration.ofSeconds(p.integer("idle_timeout", 0, 86_400, DEFAULT_IDLE_TIMEOUT.toSeconds()));
        InterruptMode mode = interruptMode(p);

        JsonFields l = p.requireObject("llm");
        Llm llm = parseLlm(l);
        Tts tts = p.object("tts").map(AgentSpec::parseTts).orElse(null);
        if (tts == null && !llm.audioOutput()) {
            throw ApiException.badRequest(p.name("tts"), "is required: the llm answers with text (output_modalities"
                    + " [\"text\"]), which the agent speaks with a TTS; use {\"vendor\": \"espeak-ng\"}");
        }
        if (tts == null && llm.greeting() != null) {
            throw ApiException.badRequest(l.name("greeting_message"), "needs a tts block to be spoken");
        }
        if (tts == null && llm.failureMessage() != null) {
            throw ApiException.badRequest(l.name("failure_message"), "needs a tts block to be spoken");
        }
        Asr asr = parseAsr(p, llm);
        if (mode == InterruptMode.ASR_ACTIVATION && asr == null) {
            throw ApiException.badRequest(p.name("interrupt_mode"), "asr_activation needs speech recognition: add an"
                    + " asr block");
        }
        VadV2Config vad = p.object("vad").map(AgentSpec::parseVad).orElse(VadV2Config.DEFAULT);
        return new AgentSpec(channel, token == null ? "" : token, uid, remoteUids, stringUids, idle, mode, llm, tts,
                asr, vad);
    }

    private static InterruptMode interruptMode(JsonFields p) {
        String m = p.string("interrupt_mode");
        if (m == null) {
            return InterruptMode.VOICE_ACTIVATION;
        }
        try {
            return InterruptMode.valueOf(m.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(p.name("interrupt_mode"), "must be voice_activation or asr_activation; got '"
                    + m + "'");
        }
    }

    static void checkUid(String field, String uid, boolean stringUids) {
        if (stringUids) {
            try {
                RtcConnection.validateUserId(uid);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(field, "is not a valid user id: " + e.getMessage());
            }
            return;
        }
        boolean numeric = !uid.isEmpty() && uid.length() <= 10 && uid.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!numeric || Long.parseLong(uid) > 0xFFFF_FFFFL) {
            throw ApiException.badRequest(field, "must be a number in 0..4294967295 (or set enable_string_uid); got '"
                    + uid + "'");
        }
    }

    private static Llm parseLlm(JsonFields l) {
        URI base = baseUri(l, "url");
        String key = l.secret("api_key");
        String model = l.object("params").map(pp -> pp.string("model")).orElse(null);
        if (model != null && model.isBlank()) {
            throw ApiException.badRequest(l.name("params.model"), "must not be blank");
        }
        StringBuilder instructions = new StringBuilder();
        for (JsonFields m : l.objects("system_messages")) {
            String content = m.requireString("content");
            String role = m.string("role");
            if (role != null && !role.equals("system")) {
                throw ApiException.badRequest(m.name("role"), "must be system; got '" + role + "'");
            }
            if (instructions.length() > 0) {
                instructions.append('\n');
            }
            instructions.append(content.strip());
        }
        String greeting = optionalText(l, "greeting_message");
        String failure = optionalText(l, "failure_message");
        int maxHistory = (int) l.integer("max_history", 1, 10_000, 32);
        boolean audio = false;
        List<String> out = l.strings("output_modalities");
        if (out != null) {
            for (int i = 0; i < out.size(); i++) {
                String m = out.get(i);
                if (!m.equals("text") && !m.equals("audio")) {
                    throw ApiException.badRequest(l.name("output_modalities") + "[" + i + "]", "must be text or audio;"
                            + " got '" + m + "'");
                }
            }
            audio = out.contains("audio");
        }
        return new Llm(base, key, model, instructions.length() == 0 ? null : instructions.toString(), greeting,
                failure, maxHistory, audio);
    }

    private static String optionalText(JsonFields f, String key) {
        String s = f.string(key);
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** {@code .../v1}, {@code .../v1/chat/completions} or {@code .../v1/audio/chat/completions} -> {@code .../v1}. */
    private static URI baseUri(JsonFields f, String key) {
        String url = f.requireString(key).strip();
        for (String suffix : List.of("/audio/chat/completions", "/chat/completions", "/audio/transcriptions")) {
            if (url.endsWith(suffix)) {
                url = url.substring(0, url.length() - suffix.length());
                break;
            }
        }
        try {
            URI u = URI.create(url);
            if (!u.isAbsolute() || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw new IllegalArgumentException("not absolute");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(f.name(key), "must be an absolute http or https URL; got '" + url + "'");
        }
    }

    private static Tts parseTts(JsonFields t) {
        String vendor = t.string("vendor");
        if (vendor != null && !vendor.equalsIgnoreCase("espeak-ng") && !vendor.equalsIgnoreCase("espeak")) {
            throw ApiException.badRequest(t.name("vendor"), "'" + vendor + "' is not available on this server;"
                    + " supported: espeak-ng");
        }
        JsonFields params = t.object("params").orElse(null);
        String voice = params == null ? null : params.string("voice");
        if (voice == null) {
            voice = "en-us";
        } else if (!voice.matches("[A-Za-z0-9_+\\-/]+")) {
            throw ApiException.badRequest(params.name("voice"), "must be an espeak-ng voice such as en-us; got '"
                    + voice + "'");
        }
        int wpm = params == null ? 175 : (int) params.integer("speed", 80, 500, 175);
        return new Tts(voice, wpm);
    }

    /** The asr block; a text LLM without one transcribes at the LLM's own endpoint. */
    private static Asr parseAsr(JsonFields p, Llm llm) {
        JsonFields a = p.object("asr").orElse(null);
        if (a == null) {
            return llm.audioOutput() ? null : new Asr(llm.baseUri(), llm.apiKey(), null, null);
        }
        String vendor = a.string("vendor");
        if (vendor != null && !vendor.equalsIgnoreCase("openai")) {
            throw ApiException.badRequest(a.name("vendor"), "'" + vendor + "' is not available on this server;"
                    + " supported: openai (any OpenAI-compatible transcription endpoint)");
        }
        String language = a.string("language");
        if (language != null) {
            String code = language.strip().toLowerCase(Locale.ROOT);
            int dash = code.indexOf('-');
            code = dash > 0 ? code.substring(0, dash) : code;
            if (!code.matches("[a-z]{2,3}")) {
                throw ApiException.badRequest(a.name("language"), "must be a language tag such as en-US or en; got '"
                        + language + "'");
            }
            language = code;
        }
        JsonFields params = a.object("params").orElse(null);
        URI base = params != null && params.has("url") ? baseUri(params, "url") : llm.baseUri();
        String key = params != null && params.has("api_key") ? params.secret("api_key") : llm.apiKey();
        String model = params == null ? null : params.string("model");
        return new Asr(base, key, model, language);
    }

    private static VadV2Config parseVad(JsonFields v) {
        VadV2Config c = VadV2Config.DEFAULT;
        var fields = v.node().fields();
        while (fields.hasNext()) {
            var e = fields.next();
            String key = e.getKey();
            if (e.getValue().isNull()) {
                continue;
            }
            try {
                c = switch (key) {
                    case "silence_duration_ms" -> c.with("stopRecognizeCount", frames(v, key));
                    case "prefix_padding_ms" -> c.with("preStartRecognizeCount", frames(v, key));
                    case "interrupt_duration_ms" -> c.with("startRecognizeCount", frames(v, key));
                    case "threshold" -> {
                        String pct = Long.toString(Math.round(v.number(key, 0, 1, 0.7) * 100));
                        yield c.with("startVoiceProb", pct).with("stopVoiceProb", pct);
                    }
                    default -> {
                        if (!e.getValue().isNumber()) {
                            throw ApiException.badRequest(v.name(key), "must be a number; got "
                                    + JsonFields.kind(e.getValue()));
                        }
                        yield c.with(key, e.getValue().asText());
                    }
                };
            } catch (IllegalArgumentException bad) {
                throw ApiException.badRequest(v.name(key), bad.getMessage().startsWith("unknown VAD parameter")
                        ? "is not a VAD parameter: use silence_duration_ms, prefix_padding_ms, interrupt_duration_ms,"
                                + " threshold, or a VadV2Config name (" + bad.getMessage().substring(
                                        bad.getMessage().indexOf("known: ")) + ")"
                        : "is out of range: " + bad.getMessage());
            }
        }
        return c;
    }

    /** Milliseconds -> 10 ms frames (1..100000 ms). */
    private static String frames(JsonFields v, String key) {
        long ms = v.integer(key, 10, 100_000, 10);
        return Long.toString(Math.max(1, Math.round(ms / 10.0)));
    }

    public String channel() {
        return channel;
    }

    /** The RTC token ({@code ""} for none). Never log it. */
    public String token() {
        return token;
    }

    /** The agent's uid in the channel (never {@code "0"} once a join request was accepted). */
    public String agentUid() {
        return agentUid;
    }

    /** The users the agent listens to; empty = everyone. */
    public Set<String> remoteUids() {
        return remoteUids;
    }

    /** Whether {@code remoteUids()} selects {@code userId} (everyone when empty). */
    public boolean listensTo(String userId) {
        return remoteUids.isEmpty() || remoteUids.contains(userId);
    }

    public boolean stringUids() {
        return stringUids;
    }

    /** How long the agent stays with nobody it listens to in the channel; zero = forever. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    public InterruptMode interruptMode() {
        return interruptMode;
    }

    public Llm llm() {
        return llm;
    }

    /** The TTS, or null (an audio LLM alone). */
    public Tts tts() {
        return tts;
    }

    /** Speech recognition, or null (an audio LLM hearing placeholders). */
    public Asr asr() {
        return asr;
    }

    public VadV2Config vad() {
        return vad;
    }

    @Override
    public String toString() {
        return "AgentSpec[channel=" + channel + ", uid=" + agentUid + ", remote=" + (remoteUids.isEmpty() ? "*"
                : remoteUids) + ", idle=" + idleTimeout.toSeconds() + "s, " + llm + ", tts=" + tts + ", asr=" + asr
                + ", " + interruptMode + "]";
    }
}
