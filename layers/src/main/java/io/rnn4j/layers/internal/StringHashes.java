package io.rnn4j.layers.internal;

import java.nio.charset.StandardCharsets;

/**
 * The string hashes TensorFlow runs behind Keras's Hashing, HashedCrossing and the lookups' several
 * OOV indices, written from the published algorithms: FarmHash's {@code Fingerprint64} (the
 * farmhashna variant, TensorFlow's {@code to_hash_bucket_fast}), SipHash-2-4 keyed by two 64-bit
 * words ({@code to_hash_bucket_strong}), and the {@code FingerprintCat64} mix with which
 * {@code tf.sparse.cross_hashed} chains feature hashes. All take and give unsigned 64-bit values in
 * a {@code long}; strings are hashed as their UTF-8 bytes, as TensorFlow holds them.
 */
public final class StringHashes {
    private static final long K0 = 0xc3a5c85c97cb3127L;
    private static final long K1 = 0xb492b66fbe98f273L;
    private static final long K2 = 0x9ae16a3b2f90404fL;
    /** cross_hashed's default hash_key (TensorFlow's _DEFAULT_HASH_KEY). */
    public static final long CROSS_HASH_KEY = 0xDECAFCAFFEL;

    private StringHashes() {
    }

    /** TensorFlow's {@code to_hash_bucket_fast}: the bucket of {@code s} among {@code buckets}. */
    public static long fastBucket(String s, long buckets) {
        return Long.remainderUnsigned(fingerprint64(utf8(s)), buckets);
    }

    /** TensorFlow's {@code to_hash_bucket_strong} with {@code key = [k0, k1]}. */
    public static long strongBucket(String s, long buckets, long k0, long k1) {
        return Long.remainderUnsigned(sipHash24(k0, k1, utf8(s)), buckets);
    }

    /**
     * Keras's hashing of one token into {@code buckets}: FarmHash without a salt, SipHash-2-4 keyed by
     * {@code salt = {k0, k1}} with one.
     */
    public static long bucket(String s, long buckets, long[] salt) {
        return salt == null ? fastBucket(s, buckets) : strongBucket(s, buckets, salt[0], salt[1]);
    }

    /** The UTF-8 bytes TensorFlow holds a string as. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- FarmHash Fingerprint64 (farmhashna::Hash64) ----

    /** FarmHash's Fingerprint64 of {@code s}: its value is fixed across platforms and releases. */
    public static long fingerprint64(byte[] s) {
        int len = s.length;
        if (len <= 16) {
            return len0to16(s, len);
        }
        if (len <= 32) {
            return len17to32(s, len);
        }
        if (len <= 64) {
            return len33to64(s, len);
        }
        return longer(s, len);
    }

    private static long fetch64(byte[] s, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) { // little-endian, as FarmHash reads on every platform
            v = (v << 8) | (s[at + i] & 0xffL);
        }
        return v;
    }

    private static long fetch32(byte[] s, int at) {
        return (s[at] & 0xffL) | (s[at + 1] & 0xffL) << 8 | (s[at + 2] & 0xffL) << 16 | (s[at + 3] & 0xffL) << 24;
    }

    private static long shiftMix(long v) {
        return v ^ (v >>> 47);
    }

    private static long hashLen16(long u, long v, long mul) {
        long a = (u ^ v) * mul;
        a ^= a >>> 47;
        long b = (v ^ a) * mul;
        b ^= b >>> 47;
        return b * mul;
    }

    private static long len0to16(byte[] s, int len) {
        if (len >= 8) {
            long mul = K2 + len * 2L;
            long a = fetch64(s, 0) + K2;
            long b = fetch64(s, len - 8);
            long c = Long.rotateRight(b, 37) * mul + a;
            long d = (Long.rotateRight(a, 25) + b) * mul;
            return hashLen16(c, d, mul);
        }
        if (len >= 4) {
            long mul = K2 + len * 2L;
            return hashLen16(len + (fetch32(s, 0) << 3), fetch32(s, len - 4), mul);
        }
        if (len > 0) {
            long y = (s[0] & 0xffL) + ((s[len >> 1] & 0xffL) << 8);
            long z = len + ((s[len - 1] & 0xffL) << 2);
            return shiftMix(y * K2 ^ z * K0) * K2;
        }
        return K2;
    }

    private static long len17to32(byte[] s, int len) {
        long mul = K2 + len * 2L;
        long a = fetch64(s, 0) * K1;
        long b = fetch64(s, 8);
        long c = fetch64(s, len - 8) * mul;
        long d = fetch64(s, len - 16) * K2;
        return hashLen16(Long.rotateRight(a + b, 43) + Long.rotateRight(c, 30) + d,
                a + Long.rotateRight(b + K2, 18) + c, mul);
    }

    private static long len33to64(byte[] s, int len) {
        long mul = K2 + len * 2L;
        long a = fetch64(s, 0) * K2;
        long b = fetch64(s, 8);
        long c = fetch64(s, len - 8) * mul;
        long d = fetch64(s, len - 16) * K2;
        long y = Long.rotateRight(a + b, 43) + Long.rotateRight(c, 30) + d;
        long z = hashLen16(y, a + Long.rotateRight(b + K2, 18) + c, mul);
        long e = fetch64(s, 16) * mul;
        long f = fetch64(s, 24);
        long g = (y + fetch64(s, len - 32)) * mul;
        long h = (z + fetch64(s, len - 24)) * mul;
        return hashLen16(Long.rotateRight(e + f, 43) + Long.rotateRight(g, 30) + h,
                e + Long.rotateRight(f + a, 18) + g, mul);
    }

    /** FarmHash's WeakHashLen32WithSeeds over s[at..at+32): the pair {first, second} into {@code out}. */
    private static void weak32(byte[] s, int at, long a, long b, long[] out) {
        long w = fetch64(s, at);
        long x = fetch64(s, at + 8);
        long y = fetch64(s, at + 16);
        long z = fetch64(s, at + 24);
        a += w;
        b = Long.rotateRight(b + a + z, 21);
        long c = a;
        a += x;
        a += y;
        b += Long.rotateRight(a, 44);
        out[0] = a + z;
        out[1] = b + c;
    }

    /** Over 64 bytes: 64-byte chunks through a 56-byte state, then the last 64 bytes once more. */
    private static long longer(byte[] s, int len) {
        final long seed = 81;
        long x = seed;
        long y = seed * K1 + 113;
        long z = shiftMix(y * K2 + 113) * K2;
        long[] v = {0, 0};
        long[] w = {0, 0};
        x = x * K2 + fetch64(s, 0);
        int end = ((len - 1) / 64) * 64;
        int last64 = end + ((len - 1) & 63) - 63;
        int p = 0;
        do {
            x = Long.rotateRight(x + y + v[0] + fetch64(s, p + 8), 37) * K1;
            y = Long.rotateRight(y + v[1] + fetch64(s, p + 48), 42) * K1;
            x ^= w[1];
            y += v[0] + fetch64(s, p + 40);
            z = Long.rotateRight(z + w[0], 33) * K1;
            weak32(s, p, v[1] * K1, x + w[0], v);
            weak32(s, p + 32, z + w[1], y + fetch64(s, p + 16), w);
            long t = z;
            z = x;
            x = t;
            p += 64;
        } while (p != end);
        long mul = K1 + ((z & 0xff) << 1);
        p = last64;
        w[0] += (len - 1) & 63;
        v[0] += w[0];
        w[0] += v[0];
        x = Long.rotateRight(x + y + v[0] + fetch64(s, p + 8), 37) * mul;
        y = Long.rotateRight(y + v[1] + fetch64(s, p + 48), 42) * mul;
        x ^= w[1] * 9;
        y += v[0] * 9 + fetch64(s, p + 40);
        z = Long.rotateRight(z + w[0], 33) * mul;
        weak32(s, p, v[1] * mul, x + w[0], v);
        weak32(s, p + 32, z + w[1], y + fetch64(s, p + 16), w);
        long t = z;
        z = x;
        x = t;
        return hashLen16(hashLen16(v[0], w[0], mul) + shiftMix(y) * K0 + z, hashLen16(v[1], w[1], mul) + x, mul);
    }

    // ---- SipHash-2-4 ----

    /** SipHash-2-4 of {@code s} under the 128-bit key {@code (k0, k1)}. */
    public static long sipHash24(long k0, long k1, byte[] s) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L,
            k1 ^ 0x7465646279746573L};
        int whole = s.length & ~7;
        for (int i = 0; i < whole; i += 8) {
            compress(v, fetch64(s, i), 2);
        }
        long last = (long) s.length << 56; // the length's low byte, then the bytes left, little-endian
        for (int i = s.length - 1; i >= whole; i--) {
            last |= (s[i] & 0xffL) << (8 * (i - whole));
        }
        compress(v, last, 2);
        v[2] ^= 0xff;
        for (int r = 0; r < 4; r++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(long[] v, long m, int rounds) {
        v[3] ^= m;
        for (int r = 0; r < rounds; r++) {
            sipRound(v);
        }
        v[0] ^= m;
    }

    private static void sipRound(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }

    // ---- cross_hashed ----

    /** TensorFlow's FingerprintCat64: {@code fp2} folded into {@code fp1} (cross_hashed's chain step). */
    public static long fingerprintCat64(long fp1, long fp2) {
        final long mul = 0xc6a4a7935bd1e995L;
        long result = fp1 ^ mul;
        result ^= shiftMix(fp2 * mul) * mul;
        result *= mul;
        result = shiftMix(result) * mul;
        return shiftMix(result);
    }
}
