package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.Handles.ParameterHandle;
import io.voiceagent.agora.internal.NativeLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * C {@code bool} is one byte. The loopback declares {@code agora_parameter_set_bool} with a real
 * {@code bool} as {@code agora_c_abi.h} does, and reads only that byte, so a binding that passes a
 * wider value is caught here rather than by a real SDK that silently reads something else.
 */
@ExtendWith(NativeLeakExtension.class)
class CBoolBindingTest {

    /** The same C symbol bound the wrong way: a 4-byte {@code int} for the {@code bool}. */
    interface IntWidthBool extends Library {
        int agora_parameter_set_bool(ParameterHandle parameter, String key, int value);
    }

    @Test
    void theTypedSetterPassesExactlyOneAndZero() {
        AgoraService service = TestNative.service();
        service.setParameter("test.bool.flag", true);
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "param.test.bool.flag")).isEqualTo("1");
        assertThat(readInt("test.bool.flag")).isEqualTo(1);
        service.setParameter("test.bool.flag", false);
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "param.test.bool.flag")).isEqualTo("0");
        assertThat(readInt("test.bool.flag")).isZero();
    }

    @Test
    void theCSideReadsOnlyTheLowByteSoAWiderBindingShows() {
        ParameterHandle p = parameterHandle();
        IntWidthBool wrong = Native.load(NativeLoader.get().path().toString(), IntWidthBool.class);
        // Non-zero as an int, but its low byte is 0: a bool parameter sees false.
        assertThat(wrong.agora_parameter_set_bool(p, "test.bool.width", 0x100)).isZero();
        assertThat(readInt("test.bool.width")).isZero();
        assertThat(TestNative.recorded((com.sun.jna.Pointer) null, "param.test.bool.width")).isEqualTo("0");
        // The real binding's byte reaches C as the bool itself.
        assertThat(NativeLoader.get().agora().agora_parameter_set_bool(p, "test.bool.width", (byte) 1)).isZero();
        assertThat(readInt("test.bool.width")).isEqualTo(1);
    }

    @Test
    void everyCBoolParameterOfTheRawBindingIsOneByte() throws Exception {
        // The reference ABI's C bool parameters: these two. getMethod throws if one is bound wider.
        AgoraLibrary.class.getMethod("agora_parameter_set_bool", ParameterHandle.class, String.class, byte.class);
        AgoraLibrary.class.getMethod("agora_local_user_set_audio_volume_indication_parameters",
                LocalUserHandle.class, int.class, int.class, byte.class);
        for (java.lang.reflect.Method m : AgoraLibrary.class.getMethods()) {
            assertThat(m.getParameterTypes()).as("%s: JNA passes a boolean as 4 bytes", m.getName())
                    .doesNotContain(boolean.class);
        }
    }

    private static ParameterHandle parameterHandle() {
        return NativeLoader.get().agora().agora_service_get_agora_parameter(TestNative.service().serviceHandle());
    }

    private static int readInt(String key) {
        IntByReference v = new IntByReference(-42);
        assertThat(NativeLoader.get().agora().agora_parameter_get_int(parameterHandle(), key, v)).isZero();
        return v.getValue();
    }
}
