/**
 * Offline streaming speech recognition with CMU PocketSphinx over JNA ({@link
 * io.voiceagent.core.stt.pocketsphinx.PocketSphinxStt}); the raw binding is in the non-exported
 * {@code internal} package.
 */
package io.voiceagent.core.stt.pocketsphinx;
