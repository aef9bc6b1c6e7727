package io.voiceagent.core.duet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.tts.EspeakNgTts;
import org.junit.jupiter.api.Test;

/** The offline catalog speaks English, Spanish and French with espeak-ng's voices, and says what exists. */
class VoiceCatalogTest {

    @Test
    void everyVoiceOfTheEspeakCatalogSpeaks() throws Exception {
        VoiceCatalog c = VoiceCatalog.espeakNg();
        assertThat(c.languageCodes()).containsExactly("en", "es", "fr");
        String[] lines = {"Hello, how are you?", "¿Hola, qué tal estás?", "Bonjour, comment ça va ?"};
        int i = 0;
        for (String code : c.languageCodes()) {
            for (String voice : c.language(code).voices()) {
                byte[] pcm = ((EspeakNgTts) c.tts(voice)).synthesizeAll(lines[i], PcmFormat.MONO_16K);
                assertThat(pcm.length).as(voice).isGreaterThan((int) PcmFormat.MONO_16K.bytesFor(500));
                assertThat(((EspeakNgTts) c.tts(voice)).config().voice()).isEqualTo(voice);
            }
            i++;
        }
        assertThat(c.tts("es")).isSameAs(c.tts("es")); // made once
    }

    @Test
    void resolvesTheDefaultVoiceAndNamesWhatExists() {
        VoiceCatalog c = VoiceCatalog.espeakNg();
        assertThat(c.resolve(DuetAgent.of("Ana", "", "fr")).voice()).isEqualTo("fr-fr");
        assertThat(c.resolve(DuetAgent.of("Ana", "", "es").withVoice("es-419")).voice()).isEqualTo("es-419");
        assertThatThrownBy(() -> c.resolve(DuetAgent.of("Ana", "", "de"))).hasMessage("language 'de' has no voice in "
                + "the espeak-ng catalog; languages with voices: en, es, fr");
        assertThatThrownBy(() -> c.resolve(DuetAgent.of("Ana", "", "fr").withVoice("es"))).hasMessage("voice 'es' is "
                + "not a voice of language 'fr'; its voices: fr-fr, fr-be");
        assertThatThrownBy(() -> VoiceCatalog.builder().language("EN", "English", "x")).hasMessage("code must be a "
                + "lower-case language code like en; got EN");
    }
}
