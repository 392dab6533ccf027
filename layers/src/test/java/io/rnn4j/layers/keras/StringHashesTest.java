package io.rnn4j.layers.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnn4j.layers.internal.StringHashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * rnn4j's FarmHash Fingerprint64, SipHash-2-4 and cross_hashed chain, bit for bit against what
 * TensorFlow 2.21 printed (keras3151/make_hashing.py, hashing_table.json): every string length
 * 0..130 (each FarmHash branch and the 64-byte loop's tail), longer ones to 300 bytes, non-ASCII
 * UTF-8 and a NUL byte. TensorFlow gave each hash modulo 2^63-1 and 2^63-2, which together fix all
 * 64 bits, so both must agree exactly.
 */
class StringHashesTest {
    private static final long M1 = Long.MAX_VALUE;
    private static final long M2 = Long.MAX_VALUE - 1;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> table() throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(Keras3151.resource("hashing_table.json"),
                StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> m, String key) {
        return (List<String>) m.get(key);
    }

    private static void assertMods(String what, String s, long hash, String m1, String m2) {
        assertThat(Long.remainderUnsigned(hash, M1)).as("%s of %s mod 2^63-1 (TensorFlow: %s)", what, show(s), m1)
                .isEqualTo(Long.parseLong(m1));
        assertThat(Long.remainderUnsigned(hash, M2)).as("%s of %s mod 2^63-2 (TensorFlow: %s)", what, show(s), m2)
                .isEqualTo(Long.parseLong(m2));
    }

    private static String show(String s) {
        return "'" + (s.length() > 24 ? s.substring(0, 24) + "...' (" + StringHashes.utf8(s).length + " bytes)"
                : s + "'");
    }

    @Test
    void fingerprint64IsTensorFlowsToHashBucketFastBitForBit() throws IOException {
        Map<String, Object> t = table();
        List<String> strings = list(t, "strings");
        assertThat(strings).hasSizeGreaterThan(140);
        for (int i = 0; i < strings.size(); i++) {
            String s = strings.get(i);
            assertMods("Fingerprint64", s, StringHashes.fingerprint64(StringHashes.utf8(s)),
                    list(t, "fast_m1").get(i), list(t, "fast_m2").get(i));
            assertThat(StringHashes.fastBucket(s, M1)).isEqualTo(Long.parseLong(list(t, "fast_m1").get(i)));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void sipHash24IsTensorFlowsToHashBucketStrongBitForBit() throws IOException {
        Map<String, Object> t = table();
        List<String> strings = list(t, "strings");
        for (Map<String, Object> keyed : (List<Map<String, Object>>) t.get("strong")) {
            long k0 = Long.parseLong(list(keyed, "key").get(0));
            long k1 = Long.parseLong(list(keyed, "key").get(1));
            for (int i = 0; i < strings.size(); i++) {
                String s = strings.get(i);
                assertMods("SipHash-2-4 key [" + k0 + ", " + k1 + "]", s,
                        StringHashes.sipHash24(k0, k1, StringHashes.utf8(s)), list(keyed, "m1").get(i),
                        list(keyed, "m2").get(i));
                assertThat(StringHashes.strongBucket(s, M2, k0, k1)).isEqualTo(Long.parseLong(list(keyed, "m2")
                        .get(i)));
            }
        }
    }

    /** cross_hashed: the default key, each string feature's Fingerprint64, each int64 feature as it is. */
    @Test
    @SuppressWarnings("unchecked")
    void crossHashedChainIsTensorFlowsBitForBit() throws IOException {
        Map<String, Object> c = (Map<String, Object>) table().get("cross");
        List<String> left = list(c, "left");
        List<Object> ints = (List<Object>) c.get("ints");
        for (int i = 0; i < left.size(); i++) {
            long v = ((Number) ints.get(i)).longValue();
            long s = StringHashes.fingerprint64(StringHashes.utf8(left.get(i)));
            long two = StringHashes.fingerprintCat64(StringHashes.fingerprintCat64(StringHashes.CROSS_HASH_KEY, s), v);
            assertThat(Long.remainderUnsigned(two, M1)).as("cross of %s and %d", show(left.get(i)), v)
                    .isEqualTo(Long.parseLong(list(c, "m1").get(i)));
            long r = StringHashes.fingerprint64(StringHashes.utf8(left.get(left.size() - 1 - i)));
            long three = StringHashes.fingerprintCat64(StringHashes.fingerprintCat64(
                    StringHashes.fingerprintCat64(StringHashes.CROSS_HASH_KEY, v), s), r);
            assertThat(Long.remainderUnsigned(three, M1)).as("cross of %d, %s and its mirror", v, show(left.get(i)))
                    .isEqualTo(Long.parseLong(list(c, "three_m1").get(i)));
        }
    }
}
