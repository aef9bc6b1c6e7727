package io.voiceagent.agora;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.llm.ChatClient;
import io.voiceagent.core.llm.ChatStreamListener;
import io.voiceagent.core.tts.TextToSpeech;
import io.voiceagent.core.tts.TtsListener;
import io.voiceagent.core.turn.Round;
import io.voiceagent.core.turn.TextSegmenter;
import io.voiceagent.core.turn.TextSegmenterConfig;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * {@link AgentPipeline#chatThenSpeech}: streaming LLM text -> {@link TextSegmenter} -> one TTS
 * synthesis per segment, in order (the next starts when the previous completes, so audio stays in
 * sentence order while the LLM keeps streaming). The round owns the LLM call and each synthesis;
 * an interrupt cancels all of them, a refused write cancels the rest too. Thread-safe; one instance
 * serves every round.
 */
final class ChatTtsPipeline implements AgentPipeline {
    private final ChatClient chat;
    private final TextToSpeech tts;
    private final TextSegmenterConfig segmenterConfig;

    ChatTtsPipeline(ChatClient chat, TextToSpeech tts, TextSegmenterConfig segmenterConfig) {
        this.chat = Objects.requireNonNull(chat, "chat");
        this.tts = Objects.requireNonNull(tts, "tts");
        this.segmenterConfig = Objects.requireNonNull(segmenterConfig, "segmenterConfig");
    }

    @Override
    public void run(Round round, UserTurn turn) {
        if (turn.text() == null) {
            round.fail(new IllegalStateException("the chat-then-speech pipeline needs recognized text; "
                    + "give the VoiceAgent a SpeechToText"));
            return;
        }
        new Run(round, turn).start();
    }

    /** One round's run. Callbacks of the LLM and of the TTS arrive on I/O threads; state guarded by this. */
    private final class Run implements ChatStreamListener {
        private final Round round;
        private final UserTurn turn;
        private final PcmFormat format;
        private final TextSegmenter segmenter = new TextSegmenter(segmenterConfig);
        private final ArrayDeque<String> pending = new ArrayDeque<>(); // Guarded by this.
        private final StringBuilder spoken = new StringBuilder();      // Guarded by this.
        private boolean synthesizing;                                  // Guarded by this.
        private boolean llmDone;                                       // Guarded by this.
        private boolean finished;                                      // Guarded by this.
        private StreamCall llmCall;                                    // Guarded by this.

        Run(Round round, UserTurn turn) {
            this.round = round;
            this.turn = turn;
            this.format = turn.format();
        }

        void start() {
            StreamCall call = chat.streamChat(turn.messages(), this);
            synchronized (this) {
                llmCall = call;
            }
            round.own(call::cancel);
            round.own(this::report); // an interrupt records the part produced so far

        }

        @Override
        public void onTextDelta(String delta) {
            round.markFirstLlmToken();
            synchronized (this) {
                pending.addAll(segmenter.append(delta));
            }
            next();
        }

        @Override
        public void onComplete(String fullText, String finishReason) {
            synchronized (this) {
                pending.addAll(segmenter.flush());
                llmDone = true;
            }
            next();
        }

        @Override
        public void onError(Throwable error) {
            finish(error);
        }

        /** Starts the next synthesis if none runs; completes the round when everything was spoken. */
        private void next() {
            String text;
            synchronized (this) {
                if (finished || synthesizing) {
                    return;
                }
                text = pending.poll();
                if (text == null) {
                    if (!llmDone) {
                        return;
                    }
                } else {
                    synthesizing = true;
                    if (spoken.length() > 0) {
                        spoken.append(' ');
                    }
                    spoken.append(text);
                }
            }
            if (text == null) {
                round.endAudioSegment();
                finish(null);
                return;
            }
            StreamCall call = tts.synthesize(text, format, new TtsListener() {
                @Override
                public void onAudio(byte[] pcm) {
                    if (!round.writeAudio(pcm)) {
                        cancelAll();
                    }
                }

                @Override
                public void onComplete() {
                    synchronized (Run.this) {
                        synthesizing = false;
                    }
                    next();
                }

                @Override
                public void onError(Throwable error) {
                    finish(error);
                }
            });
            round.own(call::cancel);
        }

        /** A write was refused: the round was interrupted (its owned calls are being cancelled) or failed. */
        private void cancelAll() {
            StreamCall c;
            synchronized (this) {
                c = llmCall;
                finished = true;
            }
            if (c != null) {
                c.cancel();
            }
            report();
        }

        private void finish(Throwable error) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
            }
            if (error == null) {
                round.complete();
            } else {
                round.fail(error);
            }
            report();
        }

        private void report() {
            String text;
            synchronized (this) {
                text = spoken.toString();
            }
            turn.reportAnswer(text);
        }
    }
}
