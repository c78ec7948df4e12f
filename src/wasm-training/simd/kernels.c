// SIMD kernels for tfjs' 'wasm' backend, compiled to wasm32 + SIMD128 by scripts/build-wasm-kernels.ts.
// The module imports tfjs-backend-wasm's own memory, so every pointer is a tensor's memoryOffset and no data
// is copied in or out. IMPORTANT: no static data and no stack (no arrays or address-taken locals): the
// module shares the heap with the emscripten runtime, and the build fails if the code touches
// __stack_pointer or has a data section.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

typedef float f32;

static inline int min_i(int a, int b) { return a < b ? a : b; }

// acc + a * b, four lanes: one fused multiply-add where the engine has relaxed SIMD (the kernels' relaxed
// build; x86 FMA3, ARM FMLA: one instruction, one rounding), else a multiply and an add. The GEMM loops use it.
static inline v128_t madd(v128_t acc, v128_t a, v128_t b) {
#ifdef __wasm_relaxed_simd__
  return __builtin_wasm_relaxed_madd_f32x4(a, b, acc);
#else
  return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b));
#endif
}
static inline int max_i(int a, int b) { return a > b ? a : b; }

// x86 computes with subnormal operands or results (|v| < 2^-126) through microcode assists, ~100x slower, and
// WebAssembly has no flush-to-zero mode. A long Adam run drives many weights toward 0 geometrically (Mini-Xception's
// pointwise kernels: thousands subnormal, more merely tiny), and then every multiply-add of a conv that uses them
// is slow: the product of a tiny weight and an ordinary activation is itself subnormal. So the filter packers
// zero every weight below 2^-64 (5.4e-20): its product with any activation above 2^-62 stays normal, and it is far
// below float32's resolution of any sum it joins. Measured on Mini-Xception's epoch-9 weights: the pointwise
// 6x6x128->128 conv took 32.5 ms instead of 4.7 (see README, bench:long-run). Integer tests only, so reading the
// tiny values costs nothing. The same holds for gradients: late in a run, confident predictions send tiny
// values back through the net (ReLU's gradient of Mini-Xception's first block took 4.4 ms instead of 0.6 on
// epoch-12 weights), so the ReLU and BatchNorm gradients, which every conv's gradient passes through in our
// nets, zero what they write below 2^-64 too: far below float32's resolution of the sums it joins.
// Exponent fields (bits 23-30) below which a value is zeroed: 2^-64 for weights being packed, 2^-126 (the
// subnormals, exponent field 0) for the training state swept by flush_subnormals.
#define TINY_EXPONENT_BITS (63u << 23)
#define SUBNORMAL_EXPONENT_BITS (1u << 23)

static inline v128_t zero_below(v128_t v, unsigned exponent_bits) {
  const v128_t small = wasm_u32x4_lt(wasm_v128_and(v, wasm_i32x4_const_splat(0x7f800000)), wasm_i32x4_splat((int)exponent_bits));
  return wasm_v128_andnot(v, small);
}

static inline f32 zero_below_1(f32 v, unsigned exponent_bits) {
  union {
    f32 f;
    unsigned u;
  } bits = {v};
  return (bits.u & 0x7f800000u) < exponent_bits ? 0.f : v;
}

// out[c] = scale * sum over r of x[r * cols + c]; x [rows, cols] row-major, out [cols].
// Rows are summed in blocks of 64 in registers, then added to out: float32 error grows with the number of
// blocks, not of rows.
EXPORT(sum_rows)
void sum_rows(const f32 *x, int rows, int cols, f32 *out, f32 scale) {
  for (int c = 0; c < cols; c++) out[c] = 0.f;
  for (int r0 = 0; r0 < rows; r0 += 64) {
    const int r1 = min_i(r0 + 64, rows);
    int c = 0;
    for (; c + 16 <= cols; c += 16) {
      v128_t a0 = wasm_f32x4_const_splat(0.f), a1 = a0, a2 = a0, a3 = a0;
      for (int r = r0; r < r1; r++) {
        const f32 *p = x + r * cols + c;
        a0 = wasm_f32x4_add(a0, wasm_v128_load(p));
        a1 = wasm_f32x4_add(a1, wasm_v128_load(p + 4));
        a2 = wasm_f32x4_add(a2, wasm_v128_load(p + 8));
        a3 = wasm_f32x4_add(a3, wasm_v128_load(p + 12));
      }
      wasm_v128_store(out + c, wasm_f32x4_add(wasm_v128_load(out + c), a0));
      wasm_v128_store(out + c + 4, wasm_f32x4_add(wasm_v128_load(out + c + 4), a1));
      wasm_v128_store(out + c + 8, wasm_f32x4_add(wasm_v128_load(out + c + 8), a2));
      wasm_v128_store(out + c + 12, wasm_f32x4_add(wasm_v128_load(out + c + 12), a3));
    }
    for (; c + 4 <= cols; c += 4) {
      v128_t a0 = wasm_f32x4_const_splat(0.f);
      for (int r = r0; r < r1; r++) a0 = wasm_f32x4_add(a0, wasm_v128_load(x + r * cols + c));
      wasm_v128_store(out + c, wasm_f32x4_add(wasm_v128_load(out + c), a0));
    }
    for (; c < cols; c++) {
      f32 a = 0.f;
      for (int r = r0; r < r1; r++) a += x[r * cols + c];
      out[c] += a;
    }
  }
  for (int c = 0; c < cols; c++) out[c] *= scale;
}

// BatchNorm's gradient sums over rows, per column c of dy and x [rows, cols] (rows `stride` floats apart, so a
// thread can take a run of columns), m [cols]:
// sums[c] = sum over r of dy[r, c];  products[c] = sum over r of dy[r, c] * (x[r, c] - m[c]); dy values below
// 2^-64 read as 0 (see zero_below).
// Blocks of 64 rows in registers, like sum_rows.
EXPORT(bn_grad_sums)
void bn_grad_sums(const f32 *dy, const f32 *x, const f32 *m, int rows, int cols, int stride, f32 *sums, f32 *products) {
  for (int c = 0; c < cols; c++) sums[c] = products[c] = 0.f;
  for (int r0 = 0; r0 < rows; r0 += 64) {
    const int r1 = min_i(r0 + 64, rows);
    int c = 0;
    for (; c + 8 <= cols; c += 8) {
      const v128_t m0 = wasm_v128_load(m + c), m1 = wasm_v128_load(m + c + 4);
      // Rows in pairs into two sets of sums: eight independent add chains (see bn_moments).
      v128_t s0 = wasm_f32x4_const_splat(0.f), s1 = s0, p0 = s0, p1 = s0, t0 = s0, t1 = s0, u0 = s0, u1 = s0;
      int r = r0;
      for (; r + 2 <= r1; r += 2) {
        const f32 *g = dy + r * stride + c;
        const f32 *v = x + r * stride + c;
        const v128_t g0 = zero_below(wasm_v128_load(g), TINY_EXPONENT_BITS), g1 = zero_below(wasm_v128_load(g + 4), TINY_EXPONENT_BITS);
        const v128_t h0 = zero_below(wasm_v128_load(g + stride), TINY_EXPONENT_BITS), h1 = zero_below(wasm_v128_load(g + stride + 4), TINY_EXPONENT_BITS);
        s0 = wasm_f32x4_add(s0, g0);
        s1 = wasm_f32x4_add(s1, g1);
        t0 = wasm_f32x4_add(t0, h0);
        t1 = wasm_f32x4_add(t1, h1);
        p0 = wasm_f32x4_add(p0, wasm_f32x4_mul(g0, wasm_f32x4_sub(wasm_v128_load(v), m0)));
        p1 = wasm_f32x4_add(p1, wasm_f32x4_mul(g1, wasm_f32x4_sub(wasm_v128_load(v + 4), m1)));
        u0 = wasm_f32x4_add(u0, wasm_f32x4_mul(h0, wasm_f32x4_sub(wasm_v128_load(v + stride), m0)));
        u1 = wasm_f32x4_add(u1, wasm_f32x4_mul(h1, wasm_f32x4_sub(wasm_v128_load(v + stride + 4), m1)));
      }
      for (; r < r1; r++) {
        const f32 *g = dy + r * stride + c;
        const f32 *v = x + r * stride + c;
        const v128_t g0 = zero_below(wasm_v128_load(g), TINY_EXPONENT_BITS), g1 = zero_below(wasm_v128_load(g + 4), TINY_EXPONENT_BITS);
        s0 = wasm_f32x4_add(s0, g0);
        s1 = wasm_f32x4_add(s1, g1);
        p0 = wasm_f32x4_add(p0, wasm_f32x4_mul(g0, wasm_f32x4_sub(wasm_v128_load(v), m0)));
        p1 = wasm_f32x4_add(p1, wasm_f32x4_mul(g1, wasm_f32x4_sub(wasm_v128_load(v + 4), m1)));
      }
      wasm_v128_store(sums + c, wasm_f32x4_add(wasm_v128_load(sums + c), wasm_f32x4_add(s0, t0)));
      wasm_v128_store(sums + c + 4, wasm_f32x4_add(wasm_v128_load(sums + c + 4), wasm_f32x4_add(s1, t1)));
      wasm_v128_store(products + c, wasm_f32x4_add(wasm_v128_load(products + c), wasm_f32x4_add(p0, u0)));
      wasm_v128_store(products + c + 4, wasm_f32x4_add(wasm_v128_load(products + c + 4), wasm_f32x4_add(p1, u1)));
    }
    for (; c < cols; c++) {
      f32 s = 0.f, p = 0.f;
      for (int r = r0; r < r1; r++) {
        const f32 g = zero_below_1(dy[r * stride + c], TINY_EXPONENT_BITS);
        s += g;
        p += g * (x[r * stride + c] - m[c]);
      }
      sums[c] += s;
      products[c] += p;
    }
  }
}

// Batch statistics per column of x [rows, cols] (rows `stride` floats apart): mean[c] and the (population)
// variance[c], in one pass. Sums are of x - k[c] with k the first row (near the mean for activations), so the
// variance's sum-of-squares form loses little to cancellation; blocks of 64 rows in registers, like sum_rows.
EXPORT(bn_moments)
void bn_moments(const f32 *x, int rows, int cols, int stride, f32 *mean, f32 *variance) {
  for (int c = 0; c < cols; c++) mean[c] = variance[c] = 0.f;
  for (int r0 = 0; r0 < rows; r0 += 64) {
    const int r1 = min_i(r0 + 64, rows);
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      const v128_t k = wasm_v128_load(x + c);
      // Four rows at a time into four pairs of sums: four independent add chains instead of one (the adds'
      // latency, not memory, bounded the one-chain loop).
      v128_t s0 = wasm_f32x4_const_splat(0.f), s1 = s0, s2 = s0, s3 = s0, q0 = s0, q1 = s0, q2 = s0, q3 = s0;
      int r = r0;
      for (; r + 4 <= r1; r += 4) {
        const f32 *p = x + r * stride + c;
        const v128_t d0 = wasm_f32x4_sub(wasm_v128_load(p), k), d1 = wasm_f32x4_sub(wasm_v128_load(p + stride), k);
        const v128_t d2 = wasm_f32x4_sub(wasm_v128_load(p + 2 * stride), k), d3 = wasm_f32x4_sub(wasm_v128_load(p + 3 * stride), k);
        s0 = wasm_f32x4_add(s0, d0);
        s1 = wasm_f32x4_add(s1, d1);
        s2 = wasm_f32x4_add(s2, d2);
        s3 = wasm_f32x4_add(s3, d3);
        q0 = wasm_f32x4_add(q0, wasm_f32x4_mul(d0, d0));
        q1 = wasm_f32x4_add(q1, wasm_f32x4_mul(d1, d1));
        q2 = wasm_f32x4_add(q2, wasm_f32x4_mul(d2, d2));
        q3 = wasm_f32x4_add(q3, wasm_f32x4_mul(d3, d3));
      }
      for (; r < r1; r++) {
        const v128_t d = wasm_f32x4_sub(wasm_v128_load(x + r * stride + c), k);
        s0 = wasm_f32x4_add(s0, d);
        q0 = wasm_f32x4_add(q0, wasm_f32x4_mul(d, d));
      }
      const v128_t s = wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3));
      const v128_t q = wasm_f32x4_add(wasm_f32x4_add(q0, q1), wasm_f32x4_add(q2, q3));
      wasm_v128_store(mean + c, wasm_f32x4_add(wasm_v128_load(mean + c), s));
      wasm_v128_store(variance + c, wasm_f32x4_add(wasm_v128_load(variance + c), q));
    }
    for (; c < cols; c++) {
      f32 s = 0.f, q = 0.f;
      for (int r = r0; r < r1; r++) {
        const f32 d = x[r * stride + c] - x[c];
        s += d;
        q += d * d;
      }
      mean[c] += s;
      variance[c] += q;
    }
  }
  for (int c = 0; c < cols; c++) {
    const f32 shifted = mean[c] / (f32)rows;
    const f32 v = variance[c] / (f32)rows - shifted * shifted;
    mean[c] = x[c] + shifted;
    variance[c] = v > 0.f ? v : 0.f;
  }
}

// BatchNorm's input gradient in one pass: out[r, c] = a[c] * dy[r, c] + b[c] * (x[r, c] - m[c]) + d[c] for
// dy, x, out [rows, cols] and params [4][cols] = m, a, b, d (batch-norm-training.ts derives them); dy and out
// values below 2^-64 read and written as 0 (see zero_below).
EXPORT(bn_input_grad)
void bn_input_grad(const f32 *dy, const f32 *x, int rows, int cols, const f32 *params, f32 *out) {
  const f32 *m = params, *a = params + cols, *b = params + 2 * cols, *d = params + 3 * cols;
  for (int r = 0; r < rows; r++) {
    const f32 *g = dy + r * cols, *v = x + r * cols;
    f32 *o = out + r * cols;
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      const v128_t centered = wasm_f32x4_sub(wasm_v128_load(v + c), wasm_v128_load(m + c));
      const v128_t scaled = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(a + c), zero_below(wasm_v128_load(g + c), TINY_EXPONENT_BITS)), wasm_v128_load(d + c));
      wasm_v128_store(o + c, zero_below(wasm_f32x4_add(scaled, wasm_f32x4_mul(wasm_v128_load(b + c), centered)), TINY_EXPONENT_BITS));
    }
    for (; c < cols; c++) o[c] = zero_below_1(a[c] * zero_below_1(g[c], TINY_EXPONENT_BITS) + b[c] * (v[c] - m[c]) + d[c], TINY_EXPONENT_BITS);
  }
}

// out[r, c] = (x[r, c] - m[c]) * a[c] + b[c]; x and out [rows, cols]; m, a, b [cols]. out may alias x.
// (Subtracting first keeps float32 accuracy when the mean is large next to the spread.)
EXPORT(normalize_cols)
void normalize_cols(const f32 *x, int rows, int cols, const f32 *m, const f32 *a, const f32 *b, f32 *out) {
  for (int r = 0; r < rows; r++) {
    const f32 *xr = x + r * cols;
    f32 *orow = out + r * cols;
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      const v128_t centered = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(m + c));
      wasm_v128_store(orow + c, wasm_f32x4_add(wasm_f32x4_mul(centered, wasm_v128_load(a + c)), wasm_v128_load(b + c)));
    }
    for (; c < cols; c++) orow[c] = (xr[c] - m[c]) * a[c] + b[c];
  }
}

// dst[(j*outer + i)*len + l] = src[(i*inner + j)*len + l]: swaps the two outer axes of [outer, inner, len].
EXPORT(swap_outer)
void swap_outer(const f32 *src, f32 *dst, int outer, int inner, int len) {
  for (int i = 0; i < outer; i++)
    for (int j = 0; j < inner; j++) {
      const f32 *s = src + (i * inner + j) * len;
      f32 *d = dst + (j * outer + i) * len;
      for (int l = 0; l < len; l++) d[l] = s[l];
    }
}

// Batched 2-D transpose with strides (in floats): dst[b*dbs + c*drs + r] = src[b*sbs + r*srs + c]
// for b < batch, r < rows, c < cols. Tiles of 16 x 16 keep whole cache lines in use on both sides;
// 4 x 4 blocks inside go through SIMD shuffles.
static void transpose_tile(const f32 *s, f32 *d, int rows, int cols, int srs, int drs) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      v128_t r0 = wasm_v128_load(s + (r + 0) * srs + c);
      v128_t r1 = wasm_v128_load(s + (r + 1) * srs + c);
      v128_t r2 = wasm_v128_load(s + (r + 2) * srs + c);
      v128_t r3 = wasm_v128_load(s + (r + 3) * srs + c);
      v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
      v128_t t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
      v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
      v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
      wasm_v128_store(d + (c + 0) * drs + r, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
      wasm_v128_store(d + (c + 1) * drs + r, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
      wasm_v128_store(d + (c + 2) * drs + r, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
      wasm_v128_store(d + (c + 3) * drs + r, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
    }
    for (; c < cols; c++)
      for (int k = 0; k < 4; k++) d[c * drs + r + k] = s[(r + k) * srs + c];
  }
  for (; r < rows; r++)
    for (int c = 0; c < cols; c++) d[c * drs + r] = s[r * srs + c];
}

EXPORT(transpose_batched)
void transpose_batched(const f32 *src, f32 *dst, int batch, int rows, int cols, int sbs, int srs, int dbs, int drs) {
  for (int b = 0; b < batch; b++)
    for (int r = 0; r < rows; r += 16)
      for (int c = 0; c < cols; c += 16)
        transpose_tile(src + b * sbs + r * srs + c, dst + b * dbs + c * drs + r, min_i(16, rows - r), min_i(16, cols - c), srs, drs);
}

// Gradient of a max pool, NHWC. x [n, h, w, ch] the pool's input, dy [n, oh, ow, ch], dx [n, h, w, ch]
// (overwritten). Each dy value goes to the first maximum of its window in row-major order (what tfjs'
// CPU backend does, which matters for ties such as the zeros after a ReLU).
// max_pool_grad when the windows tile x exactly (stride = window, no padding, h = oh * kh, w = ow * kw; the VGG
// nets' 2x2 pools), ch % 4 == 0: every x position is in one window, so dx is written once, window by window (dy
// where the position was the window's first maximum, else 0), four channels at a time with no zeroing pass and
// no scattered adds.
static void max_pool_grad_tiled(const f32 *x, const f32 *dy, f32 *dx, int n, int h, int w, int ch, int oh, int ow, int kh, int kw) {
  for (int b = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++) {
        const int corner = ((b * h + oy * kh) * w + ox * kw) * ch;
        const f32 *g = dy + ((b * oh + oy) * ow + ox) * ch;
        for (int c = 0; c < ch; c += 4) {
          // Index k = y * kw + x of the first maximum in the window, per lane (as the generic loop scans).
          v128_t best = wasm_f32x4_const_splat(-__builtin_inff());
          v128_t at = wasm_i32x4_const_splat(-1);
          for (int y = 0, k = 0; y < kh; y++)
            for (int xx = 0; xx < kw; xx++, k++) {
              const v128_t v = wasm_v128_load(x + corner + (y * w + xx) * ch + c);
              const v128_t greater = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, greater);
              at = wasm_v128_bitselect(wasm_i32x4_splat(k), at, greater);
            }
          const v128_t gv = wasm_v128_load(g + c);
          for (int y = 0, k = 0; y < kh; y++)
            for (int xx = 0; xx < kw; xx++, k++)
              wasm_v128_store(dx + corner + (y * w + xx) * ch + c, wasm_v128_and(gv, wasm_i32x4_eq(at, wasm_i32x4_splat(k))));
        }
      }
}

EXPORT(max_pool_grad)
void max_pool_grad(const f32 *x, const f32 *dy, f32 *dx, int n, int h, int w, int ch, int oh, int ow, int kh, int kw,
                   int sh, int sw, int pad_top, int pad_left) {
  if (sh == kh && sw == kw && pad_top == 0 && pad_left == 0 && h == oh * kh && w == ow * kw && ch % 4 == 0) {
    max_pool_grad_tiled(x, dy, dx, n, h, w, ch, oh, ow, kh, kw);
    return;
  }
  const int image = h * w * ch;
  for (int i = 0; i < n * image; i++) dx[i] = 0.f;
  for (int b = 0; b < n; b++) {
    const f32 *xb = x + b * image;
    f32 *dxb = dx + b * image;
    for (int oy = 0; oy < oh; oy++) {
      const int y0 = max_i(oy * sh - pad_top, 0), y1 = min_i(oy * sh - pad_top + kh, h);
      for (int ox = 0; ox < ow; ox++) {
        const int x0 = max_i(ox * sw - pad_left, 0), x1 = min_i(ox * sw - pad_left + kw, w);
        const f32 *g = dy + ((b * oh + oy) * ow + ox) * ch;
        int c = 0;
        for (; c + 4 <= ch; c += 4) {
          v128_t best = wasm_f32x4_const_splat(-__builtin_inff());
          v128_t at = wasm_i32x4_const_splat(-1);
          for (int y = y0; y < y1; y++)
            for (int xx = x0; xx < x1; xx++) {
              const int offset = (y * w + xx) * ch + c;
              const v128_t v = wasm_v128_load(xb + offset);
              const v128_t greater = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, greater);
              at = wasm_v128_bitselect(wasm_i32x4_splat(offset), at, greater);
            }
          const int a0 = wasm_i32x4_extract_lane(at, 0), a1 = wasm_i32x4_extract_lane(at, 1);
          const int a2 = wasm_i32x4_extract_lane(at, 2), a3 = wasm_i32x4_extract_lane(at, 3);
          if (a0 >= 0) dxb[a0] += g[c];
          if (a1 >= 0) dxb[a1 + 1] += g[c + 1];
          if (a2 >= 0) dxb[a2 + 2] += g[c + 2];
          if (a3 >= 0) dxb[a3 + 3] += g[c + 3];
        }
        for (; c < ch; c++) {
          f32 best = -__builtin_inff();
          int at = -1;
          for (int y = y0; y < y1; y++)
            for (int xx = x0; xx < x1; xx++) {
              const int offset = (y * w + xx) * ch + c;
              if (xb[offset] > best) {
                best = xb[offset];
                at = offset;
              }
            }
          if (at >= 0) dxb[at] += g[c];
        }
      }
    }
  }
}

// Shape of a depthwise convolution, NHWC, filter [kh, kw, ch, 1] (channel multiplier 1).
// Passed as plain ints so the C side needs no structs in memory.
#define DW_PARAMS int n, int h, int w, int ch, int oh, int ow, int kh, int kw, int sh, int sw, int dh, int dw, int pad_top, int pad_left
#define DW_ARGS n, h, w, ch, oh, ow, kh, kw, sh, sw, dh, dw, pad_top, pad_left

// Gradient of a depthwise conv with respect to its filter (multiplier 1):
// dfilter[ky, kx, c] = sum over b, oy, ox of x[b, oy*sh + ky*dh - pad_top, ox*sw + kx*dw - pad_left, c] * dy[b, oy, ox, c].
// For each output row and tap, the sum over ox stays in a register.
EXPORT(depthwise_filter_grad)
void depthwise_filter_grad(const f32 *x, const f32 *dy, f32 *dfilter, DW_PARAMS) {
  for (int i = 0; i < kh * kw * ch; i++) dfilter[i] = 0.f;
  for (int b = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ky = 0; ky < kh; ky++) {
        const int iy = oy * sh + ky * dh - pad_top;
        if (iy < 0 || iy >= h) continue;
        const f32 *xrow = x + (b * h + iy) * w * ch;
        const f32 *grow = dy + (b * oh + oy) * ow * ch;
        for (int kx = 0; kx < kw; kx++) {
          // Output columns whose input column ox*sw + kx*dw - pad_left lies in [0, w).
          const int shift = kx * dw - pad_left;
          int ox0 = shift < 0 ? (-shift + sw - 1) / sw : 0;
          int ox1 = (w - 1 - shift) < 0 ? 0 : (w - 1 - shift) / sw + 1;
          if (ox1 > ow) ox1 = ow;
          f32 *out = dfilter + (ky * kw + kx) * ch;
          int c = 0;
          for (; c + 4 <= ch; c += 4) {
            v128_t acc = wasm_f32x4_const_splat(0.f);
            for (int ox = ox0; ox < ox1; ox++)
              acc = madd(acc, wasm_v128_load(xrow + (ox * sw + shift) * ch + c), wasm_v128_load(grow + ox * ch + c));
            wasm_v128_store(out + c, wasm_f32x4_add(wasm_v128_load(out + c), acc));
          }
          for (; c < ch; c++) {
            f32 acc = 0.f;
            for (int ox = ox0; ox < ox1; ox++) acc += xrow[(ox * sw + shift) * ch + c] * grow[ox * ch + c];
            out[c] += acc;
          }
        }
      }
}

// Gradient of a depthwise conv with respect to its input (multiplier 1), by scattering each dy value:
// dx[b, oy*sh + ky*dh - pad_top, ox*sw + kx*dw - pad_left, c] += dy[b, oy, ox, c] * filter[ky, kx, c].
EXPORT(depthwise_input_grad)
void depthwise_input_grad(const f32 *dy, const f32 *filter, f32 *dx, DW_PARAMS) {
  for (int i = 0; i < n * h * w * ch; i++) dx[i] = 0.f;
  for (int b = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ky = 0; ky < kh; ky++) {
        const int iy = oy * sh + ky * dh - pad_top;
        if (iy < 0 || iy >= h) continue;
        f32 *xrow = dx + (b * h + iy) * w * ch;
        const f32 *grow = dy + (b * oh + oy) * ow * ch;
        for (int kx = 0; kx < kw; kx++) {
          const int shift = kx * dw - pad_left;
          int ox0 = shift < 0 ? (-shift + sw - 1) / sw : 0;
          int ox1 = (w - 1 - shift) < 0 ? 0 : (w - 1 - shift) / sw + 1;
          if (ox1 > ow) ox1 = ow;
          const f32 *f = filter + (ky * kw + kx) * ch;
          for (int ox = ox0; ox < ox1; ox++) {
            f32 *to = xrow + (ox * sw + shift) * ch;
            const f32 *g = grow + ox * ch;
            int c = 0;
            for (; c + 4 <= ch; c += 4)
              wasm_v128_store(to + c, wasm_f32x4_add(wasm_v128_load(to + c), wasm_f32x4_mul(wasm_v128_load(g + c), wasm_v128_load(f + c))));
            for (; c < ch; c++) to[c] += g[c] * f[c];
          }
        }
      }
}

// ---------------------------------------------------------------------------------------------------------
// Weight gradient of a 2-D convolution, NHWC, any stride, no dilation:
//   dw[ky, kx, i, o] = sum over b, oy, ox of x[b, oy*sh + ky - pad_top, ox*sw + kx - pad_left, i] * dy[b, oy, ox, o]
// (reads in the padding are zeros and are skipped). A GEMM over the output pixels. Both operands come
// packed so that a tile walks consecutive memory: x as [ceil(ci/4)][n*h*w][4] (pack_channels with width 4)
// and dy as [ceil(co/8)][n*oh*ow][8] (width 8), zero-padded. Output rows are taken in chunks of ~256
// pixels; within a chunk each (4 inputs x 8 outputs) tile of dw accumulates over the chunk for every tap.

#define CONV_PARAMS int n, int h, int w, int ci, int oh, int ow, int co, int kh, int kw, int sh, int sw, int pad_top, int pad_left

// packed[g][p][j] = src[p][g*width + j] for p < pixels, j < width (4 or 8); 0 where g*width + j >= channels.
EXPORT(pack_channels)
void pack_channels(const f32 *src, f32 *packed, int pixels, int channels, int width) {
  for (int g = 0; g * width < channels; g++) {
    const int cols = min_i(width, channels - g * width);
    f32 *d = packed + g * pixels * width;
    const f32 *s = src + g * width;
    if (cols == width && width == 8)
      for (int p = 0; p < pixels; p++, d += 8, s += channels) {
        wasm_v128_store(d, wasm_v128_load(s));
        wasm_v128_store(d + 4, wasm_v128_load(s + 4));
      }
    else if (cols == width && width == 4)
      for (int p = 0; p < pixels; p++, d += 4, s += channels) wasm_v128_store(d, wasm_v128_load(s));
    else
      for (int p = 0; p < pixels; p++, d += width, s += channels)
        for (int j = 0; j < width; j++) d[j] = j < cols ? s[j] : 0.f;
  }
}

// Adds a 4 x 8 tile (a lanes = inputs i..i+3, b lanes = outputs o..o+7, only the first `rows` x `cols`
// stored) for one tap over output rows [r0, r1) of n*oh.
static void filter_grad_tile(const f32 *xp, const f32 *dyp, f32 *dw, int r0, int r1, int ky, int kx, int i, int o, int rows, int cols,
                             CONV_PARAMS) {
  (void)n;
  const int shift = kx - pad_left;
  int ox0 = shift < 0 ? (-shift + sw - 1) / sw : 0;
  int ox1 = (w - 1 - shift) < 0 ? 0 : (w - 1 - shift) / sw + 1;
  if (ox1 > ow) ox1 = ow;
  v128_t c00 = wasm_f32x4_const_splat(0.f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const int astep = sw * 4;
  for (int r = r0; r < r1; r++) {
    const int b = r / oh, oy = r - b * oh;
    const int iy = oy * sh + ky - pad_top;
    if (iy < 0 || iy >= h) continue;
    const f32 *a = xp + ((b * h + iy) * w + ox0 * sw + shift) * 4;
    const f32 *g = dyp + (r * ow + ox0) * 8;
    for (int ox = ox0; ox < ox1; ox++, a += astep, g += 8) {
      const v128_t g0 = wasm_v128_load(g), g1 = wasm_v128_load(g + 4);
      v128_t s = wasm_v128_load32_splat(a);
      c00 = madd(c00, s, g0);
      c01 = madd(c01, s, g1);
      s = wasm_v128_load32_splat(a + 1);
      c10 = madd(c10, s, g0);
      c11 = madd(c11, s, g1);
      s = wasm_v128_load32_splat(a + 2);
      c20 = madd(c20, s, g0);
      c21 = madd(c21, s, g1);
      s = wasm_v128_load32_splat(a + 3);
      c30 = madd(c30, s, g0);
      c31 = madd(c31, s, g1);
    }
  }
  f32 *d = dw + ((ky * kw + kx) * ci + i) * co + o;
  if (rows == 4 && cols == 8) {
    wasm_v128_store(d, wasm_f32x4_add(wasm_v128_load(d), c00));
    wasm_v128_store(d + 4, wasm_f32x4_add(wasm_v128_load(d + 4), c01));
    d += co;
    wasm_v128_store(d, wasm_f32x4_add(wasm_v128_load(d), c10));
    wasm_v128_store(d + 4, wasm_f32x4_add(wasm_v128_load(d + 4), c11));
    d += co;
    wasm_v128_store(d, wasm_f32x4_add(wasm_v128_load(d), c20));
    wasm_v128_store(d + 4, wasm_f32x4_add(wasm_v128_load(d + 4), c21));
    d += co;
    wasm_v128_store(d, wasm_f32x4_add(wasm_v128_load(d), c30));
    wasm_v128_store(d + 4, wasm_f32x4_add(wasm_v128_load(d + 4), c31));
    return;
  }
  // Edge tile: lane by lane (no arrays: they would live on the C stack).
  for (int ii = 0; ii < rows; ii++) {
    const v128_t lo = ii == 0 ? c00 : ii == 1 ? c10 : ii == 2 ? c20 : c30;
    const v128_t hi = ii == 0 ? c01 : ii == 1 ? c11 : ii == 2 ? c21 : c31;
    f32 *row = d + ii * co;
    if (cols > 0) row[0] += wasm_f32x4_extract_lane(lo, 0);
    if (cols > 1) row[1] += wasm_f32x4_extract_lane(lo, 1);
    if (cols > 2) row[2] += wasm_f32x4_extract_lane(lo, 2);
    if (cols > 3) row[3] += wasm_f32x4_extract_lane(lo, 3);
    if (cols > 4) row[4] += wasm_f32x4_extract_lane(hi, 0);
    if (cols > 5) row[5] += wasm_f32x4_extract_lane(hi, 1);
    if (cols > 6) row[6] += wasm_f32x4_extract_lane(hi, 2);
    if (cols > 7) row[7] += wasm_f32x4_extract_lane(hi, 3);
  }
}

// Adds to dw the gradient from output rows [row_begin, row_end) of n*oh, for output channels
// [o_begin, o_end) (o_begin a multiple of 8): threads split the output channels, each writing its own
// columns of dw. xp and dyp are packed as above; the caller zeroes dw.
EXPORT(conv_filter_grad)
void conv_filter_grad(const f32 *xp, const f32 *dyp, f32 *dw, int row_begin, int row_end, int o_begin, int o_end, CONV_PARAMS) {
  const int in_pixels = n * h * w, out_pixels = n * oh * ow;
  int chunk = 256 / ow;
  if (chunk < 1) chunk = 1;
  for (int r0 = row_begin; r0 < row_end; r0 += chunk) {
    const int r1 = min_i(r0 + chunk, row_end);
    for (int i = 0; i < ci; i += 4) {
      const f32 *xpanel = xp + (i / 4) * in_pixels * 4;
      for (int o = o_begin; o < o_end; o += 8) {
        const f32 *dypanel = dyp + (o / 8) * out_pixels * 8;
        for (int ky = 0; ky < kh; ky++)
          for (int kx = 0; kx < kw; kx++)
            filter_grad_tile(xpanel, dypanel, dw, r0, r1, ky, kx, i, o, min_i(4, ci - i), min_i(8, o_end - o), n, h, w, ci, oh, ow, co, kh, kw,
                             sh, sw, pad_top, pad_left);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Forward 2-D convolution, NHWC, any stride and padding, no dilation:
//   out[p, o] = act(bias[o] + sum over taps t, channels c of x[input pixel of p at t, c] * filter[t, c, o])
// for output pixels p in [p_begin, p_end) of n*oh*ow and outputs o in [o_begin, o_end) (o_begin a multiple
// of 8). The filter comes packed (pack_filter*): panels of 8 outputs, [co/8][taps*ci][8], zero-padded, so a
// tile streams its weights from consecutive memory. Taps that fall in the padding read `zero` (ci zeros).
// Tiles of 4 pixels x 8 outputs. Also computes the input gradient of stride-1 convs (dy as x, the filter
// flipped and in/out swapped by pack_filter_flip_swap).

// packed[ob][k][j] = w[k][ob*8 + j] for k < rows (= taps * ci), j < 8; 0 where ob*8 + j >= co. |w| < 2^-64 -> 0.
EXPORT(pack_filter)
void pack_filter(const f32 *w, f32 *packed, int rows, int co) {
  for (int ob = 0; ob * 8 < co; ob++) {
    const int cols = min_i(8, co - ob * 8);
    f32 *d = packed + ob * rows * 8;
    for (int k = 0; k < rows; k++, d += 8) {
      const f32 *s = w + k * co + ob * 8;
      if (cols == 8) {
        wasm_v128_store(d, zero_below(wasm_v128_load(s), TINY_EXPONENT_BITS));
        wasm_v128_store(d + 4, zero_below(wasm_v128_load(s + 4), TINY_EXPONENT_BITS));
      } else
        for (int j = 0; j < 8; j++) d[j] = j < cols ? zero_below_1(s[j], TINY_EXPONENT_BITS) : 0.f;
    }
  }
}

// The filter of the input gradient of a stride-1 conv, packed like pack_filter: taps reversed and in/out
// swapped. w [taps, ci, co] -> conv filter [taps, co (in), ci (out)]:
// packed[ob][t*co + c][j] = w[taps - 1 - t][ob*8 + j][c], 0 where ob*8 + j >= ci. |w| < 2^-64 -> 0.
EXPORT(pack_filter_flip_swap)
void pack_filter_flip_swap(const f32 *w, f32 *packed, int taps, int ci, int co) {
  const int rows = taps * co;
  for (int ob = 0; ob * 8 < ci; ob++) {
    const int cols = min_i(8, ci - ob * 8);
    for (int t = 0; t < taps; t++) {
      const f32 *s = w + (taps - 1 - t) * ci * co;
      f32 *d = packed + (ob * rows + t * co) * 8;
      for (int c = 0; c < co; c++, d += 8)
        for (int j = 0; j < 8; j++) d[j] = j < cols ? zero_below_1(s[(ob * 8 + j) * co + c], TINY_EXPONENT_BITS) : 0.f;
    }
  }
}

// Where output pixel p (= (b*oh + y)*ow + x) starts reading: row y*sh - pad_top, column x*sw - pad_left of
// image b; tap (ky, kx) adds ky and kx.
typedef struct {
  int image, iy0, ix0;
} PixelOrigin;

static inline PixelOrigin pixel_origin(int p, int oh, int ow, int sh, int sw, int pad_top, int pad_left) {
  const int b = p / (oh * ow), rest = p - b * oh * ow, y = rest / ow;
  const PixelOrigin origin = {b, y * sh - pad_top, (rest - y * ow) * sw - pad_left};
  return origin;
}

// The ci channels that a pixel reads at tap (ky, kx), or `zero` in the padding.
static inline const f32 *tap_row(const f32 *x, const f32 *zero, PixelOrigin q, int ky, int kx, int h, int w, int ci) {
  const int iy = q.iy0 + ky, ix = q.ix0 + kx;
  return (iy < 0 || iy >= h || ix < 0 || ix >= w) ? zero : x + ((q.image * h + iy) * w + ix) * ci;
}

static inline v128_t finish(v128_t acc, v128_t bias, int relu) {
  const v128_t v = wasm_f32x4_add(acc, bias);
  return relu ? wasm_f32x4_max(v, wasm_f32x4_const_splat(0.f)) : v;
}

// The first `count` (< 4) floats at p, zeros after: loads that must not read past a tensor's end.
static inline v128_t partial4(const f32 *p, int count) {
  v128_t v = wasm_f32x4_const_splat(0.f);
  if (count > 0) v = wasm_f32x4_replace_lane(v, 0, p[0]);
  if (count > 1) v = wasm_f32x4_replace_lane(v, 1, p[1]);
  if (count > 2) v = wasm_f32x4_replace_lane(v, 2, p[2]);
  return v;
}

// Stores the first `count` (<= 4) lanes of v at p.
static inline void store_partial4(f32 *p, v128_t v, int count) {
  if (count >= 4) {
    wasm_v128_store(p, v);
    return;
  }
  if (count > 0) p[0] = wasm_f32x4_extract_lane(v, 0);
  if (count > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (count > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

// Stores 8 outputs of one pixel, `cols` of them when the panel is the zero-padded last one.
static inline void store8(f32 *d, v128_t lo, v128_t hi, int cols) {
  if (cols == 8) {
    wasm_v128_store(d, lo);
    wasm_v128_store(d + 4, hi);
    return;
  }
  if (cols > 0) d[0] = wasm_f32x4_extract_lane(lo, 0);
  if (cols > 1) d[1] = wasm_f32x4_extract_lane(lo, 1);
  if (cols > 2) d[2] = wasm_f32x4_extract_lane(lo, 2);
  if (cols > 3) d[3] = wasm_f32x4_extract_lane(lo, 3);
  if (cols > 4) d[4] = wasm_f32x4_extract_lane(hi, 0);
  if (cols > 5) d[5] = wasm_f32x4_extract_lane(hi, 1);
  if (cols > 6) d[6] = wasm_f32x4_extract_lane(hi, 2);
}

// Accumulators of a 4 x 8 tile: four rows (pixels or tiles) by eight outputs, two vectors each.
typedef struct {
  v128_t c00, c01, c10, c11, c20, c21, c30, c31;
} Acc4x8;

static inline Acc4x8 acc4x8_zero(void) {
  const v128_t z = wasm_f32x4_const_splat(0.f);
  const Acc4x8 acc = {z, z, z, z, z, z, z, z};
  return acc;
}

// acc[r][0..8) += sum over k < count of a_r[k * a_step] * g[k*8 .. k*8 + 8): the inner loop of every GEMM
// here (always inlined, so the accumulators stay in registers and never touch the C stack).
static inline __attribute__((always_inline)) Acc4x8 madd_4x8(Acc4x8 acc, const f32 *a0, const f32 *a1, const f32 *a2, const f32 *a3,
                                                            int a_step, const f32 *g, int count) {
  for (int k = 0, ak = 0; k < count; k++, ak += a_step, g += 8) {
    const v128_t g0 = wasm_v128_load(g), g1 = wasm_v128_load(g + 4);
    v128_t s = wasm_v128_load32_splat(a0 + ak);
    acc.c00 = madd(acc.c00, s, g0);
    acc.c01 = madd(acc.c01, s, g1);
    s = wasm_v128_load32_splat(a1 + ak);
    acc.c10 = madd(acc.c10, s, g0);
    acc.c11 = madd(acc.c11, s, g1);
    s = wasm_v128_load32_splat(a2 + ak);
    acc.c20 = madd(acc.c20, s, g0);
    acc.c21 = madd(acc.c21, s, g1);
    s = wasm_v128_load32_splat(a3 + ak);
    acc.c30 = madd(acc.c30, s, g0);
    acc.c31 = madd(acc.c31, s, g1);
  }
  return acc;
}

static void conv_tile_4x8(const f32 *x, const f32 *panel, const f32 *bias, const f32 *zero, f32 *out, int p, int o, int cols, int relu,
                          CONV_PARAMS) {
  (void)n;
  Acc4x8 acc = acc4x8_zero();
  const PixelOrigin q0 = pixel_origin(p, oh, ow, sh, sw, pad_top, pad_left);
  const PixelOrigin q1 = pixel_origin(p + 1, oh, ow, sh, sw, pad_top, pad_left);
  const PixelOrigin q2 = pixel_origin(p + 2, oh, ow, sh, sw, pad_top, pad_left);
  const PixelOrigin q3 = pixel_origin(p + 3, oh, ow, sh, sw, pad_top, pad_left);
  const f32 *g = panel;
  for (int ky = 0; ky < kh; ky++)
    for (int kx = 0; kx < kw; kx++, g += 8 * ci)
      acc = madd_4x8(acc, tap_row(x, zero, q0, ky, kx, h, w, ci), tap_row(x, zero, q1, ky, kx, h, w, ci), tap_row(x, zero, q2, ky, kx, h, w, ci),
                     tap_row(x, zero, q3, ky, kx, h, w, ci), 1, g, ci);
  const v128_t b0 = bias ? wasm_v128_load(bias) : wasm_f32x4_const_splat(0.f);
  const v128_t b1 = bias ? wasm_v128_load(bias + 4) : wasm_f32x4_const_splat(0.f);
  f32 *d = out + p * co + o;
  store8(d, finish(acc.c00, b0, relu), finish(acc.c01, b1, relu), cols);
  store8(d + co, finish(acc.c10, b0, relu), finish(acc.c11, b1, relu), cols);
  store8(d + 2 * co, finish(acc.c20, b0, relu), finish(acc.c21, b1, relu), cols);
  store8(d + 3 * co, finish(acc.c30, b0, relu), finish(acc.c31, b1, relu), cols);
}

// One pixel x 8 outputs (pixel tails).
static void conv_tile_1x8(const f32 *x, const f32 *panel, const f32 *bias, const f32 *zero, f32 *out, int p, int o, int cols, int relu,
                          CONV_PARAMS) {
  (void)n;
  v128_t c0 = wasm_f32x4_const_splat(0.f), c1 = c0;
  const PixelOrigin q = pixel_origin(p, oh, ow, sh, sw, pad_top, pad_left);
  const f32 *g = panel;
  for (int ky = 0; ky < kh; ky++)
    for (int kx = 0; kx < kw; kx++) {
      const f32 *a = tap_row(x, zero, q, ky, kx, h, w, ci);
      for (int c = 0; c < ci; c++, g += 8) {
        const v128_t s = wasm_v128_load32_splat(a + c);
        c0 = madd(c0, s, wasm_v128_load(g));
        c1 = madd(c1, s, wasm_v128_load(g + 4));
      }
    }
  const v128_t b0 = bias ? wasm_v128_load(bias) : wasm_f32x4_const_splat(0.f);
  const v128_t b1 = bias ? wasm_v128_load(bias + 4) : wasm_f32x4_const_splat(0.f);
  store8(out + p * co + o, finish(c0, b0, relu), finish(c1, b1, relu), cols);
}

// bias: 0 or 8-padded [ceil(co/8)*8] (padded so a panel's bias loads never read past it).
EXPORT(conv_forward)
void conv_forward(const f32 *x, const f32 *packed, const f32 *bias, const f32 *zero, f32 *out, int p_begin, int p_end, int o_begin, int o_end,
                  int relu, CONV_PARAMS) {
  const int rows = kh * kw * ci;
  // Chunks of 64 output pixels: their input rows stay in cache while every 8-output panel passes.
  for (int p0 = p_begin; p0 < p_end; p0 += 64) {
    const int p1 = min_i(p0 + 64, p_end);
    for (int o = o_begin; o < o_end; o += 8) {
      const int cols = min_i(8, o_end - o);
      const f32 *panel = packed + (o / 8) * rows * 8;
      const f32 *b = bias ? bias + o : 0;
      int p = p0;
      for (; p + 4 <= p1; p += 4) conv_tile_4x8(x, panel, b, zero, out, p, o, cols, relu, n, h, w, ci, oh, ow, co, kh, kw, sh, sw, pad_top, pad_left);
      for (; p < p1; p++) conv_tile_1x8(x, panel, b, zero, out, p, o, cols, relu, n, h, w, ci, oh, ow, co, kh, kw, sh, sw, pad_top, pad_left);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Winograd F(2x2, 3x3) (Lavin & Gray 2016) for 3x3 stride-1 convs, any padding: each 2x2 block of outputs (a
// "tile") comes from a 4x4 input patch d with 16 multiplies per (input, output) channel pair instead of 36:
//   Y = A^T [ sum over c of (G g_c G^T) . (B^T d_c B) ] A      (. elementwise, 4x4; Y 2x2)
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]   A^T = [1 1 1 0; 0 1 -1 -1]
// The sum over c is 16 GEMMs, one per position xi of the 4x4 transformed tile: M[xi] [tiles, co] =
// V[xi] [tiles, ci] x U[xi] [ci, co]. Tiles go in chunks of WINO_CHUNK: transform their patches into V,
// then per 8-output panel the 16 GEMMs (the madd_4x8 of the direct conv) and the output transform.
// Float32 error stays near the direct conv's (the transforms only add, subtract and halve).
#define WINO_CHUNK 16

// U [ceil(co/8)][16][ci][8] from a filter packed by pack_filter or pack_filter_flip_swap ([ceil(co/8)][9*ci][8],
// row t*ci + c for tap t = ky*3 + kx), so the flip/swap of the input gradient and the tiny-weight zeroing carry over.
EXPORT(winograd_filter)
void winograd_filter(const f32 *packed, f32 *u, int ci, int co) {
  const v128_t half = wasm_f32x4_const_splat(0.5f);
  for (int ob = 0; ob * 8 < co; ob++) {
    const f32 *g = packed + ob * 9 * ci * 8;
    f32 *dst = u + ob * 16 * ci * 8;
    for (int c = 0; c < ci; c++)
      for (int lane = 0; lane < 8; lane += 4) {
#define TAP(t) wasm_v128_load(g + ((t) * ci + c) * 8 + lane)
        // Columns of G g (4 x 3): rows r = g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2 of each filter column kx.
#define G_COLUMN(kx, r0, r1, r2, r3)                                                                       \
  const v128_t r0 = TAP(kx), r3 = TAP(6 + (kx));                                                           \
  const v128_t r1 = wasm_f32x4_mul(half, wasm_f32x4_add(wasm_f32x4_add(r0, TAP(3 + (kx))), r3));           \
  const v128_t r2 = wasm_f32x4_mul(half, wasm_f32x4_add(wasm_f32x4_sub(r0, TAP(3 + (kx))), r3));
        G_COLUMN(0, a0, a1, a2, a3)
        G_COLUMN(1, b0, b1, b2, b3)
        G_COLUMN(2, e0, e1, e2, e3)
#undef G_COLUMN
#undef TAP
        // Row r of (G g) G^T from row (a, b, e) of G g: a, (a+b+e)/2, (a-b+e)/2, e; stored at xi = r*4 + column.
#define G_ROW(r, a, b, e)                                                                                                      \
  wasm_v128_store(dst + (((r) * 4 + 0) * ci + c) * 8 + lane, a);                                                              \
  wasm_v128_store(dst + (((r) * 4 + 1) * ci + c) * 8 + lane, wasm_f32x4_mul(half, wasm_f32x4_add(wasm_f32x4_add(a, b), e))); \
  wasm_v128_store(dst + (((r) * 4 + 2) * ci + c) * 8 + lane, wasm_f32x4_mul(half, wasm_f32x4_add(wasm_f32x4_sub(a, b), e))); \
  wasm_v128_store(dst + (((r) * 4 + 3) * ci + c) * 8 + lane, e);
        G_ROW(0, a0, b0, e0)
        G_ROW(1, a1, b1, e1)
        G_ROW(2, a2, b2, e2)
        G_ROW(3, a3, b3, e3)
#undef G_ROW
      }
  }
}

// Floats of scratch one thread of winograd_conv needs (the caller allocates it).
EXPORT(winograd_conv_scratch)
int winograd_conv_scratch(int ci) { return 16 * WINO_CHUNK * (ci + 8); }

// Tile t of n * ceil(oh/2) * ceil(ow/2): image b, top-left output (2*ty, 2*tx).
typedef struct {
  int image, y, x;
} TileOrigin;

static inline TileOrigin tile_origin(int t, int th, int tw) {
  const int b = t / (th * tw), rest = t - b * th * tw, ty = rest / tw;
  const TileOrigin origin = {b, 2 * ty, 2 * (rest - ty * tw)};
  return origin;
}

// (B^T d B)[xi] of channel c for the 4x4 patch of tile t goes to v[xi * xi_step + c]: a chunk of tiles is
// laid out [16][tile][ci]. Four channels at a time; points in the padding read `zero`. ci % 4 == 0.
static void winograd_input_tile(const f32 *x, const f32 *zero, f32 *v, int xi_step, int t, int th, int tw, int h, int w, int ci, int pad_top,
                                int pad_left) {
  const TileOrigin q = tile_origin(t, th, tw);
  const int iy = q.y - pad_top, ix = q.x - pad_left;
#define ROW_OK(i) (iy + (i) >= 0 && iy + (i) < h)
#define COL_OK(j) (ix + (j) >= 0 && ix + (j) < w)
#define POINT(i, j) (ROW_OK(i) && COL_OK(j) ? x + ((q.image * h + iy + (i)) * w + ix + (j)) * ci : zero)
  const f32 *p00 = POINT(0, 0), *p01 = POINT(0, 1), *p02 = POINT(0, 2), *p03 = POINT(0, 3);
  const f32 *p10 = POINT(1, 0), *p11 = POINT(1, 1), *p12 = POINT(1, 2), *p13 = POINT(1, 3);
  const f32 *p20 = POINT(2, 0), *p21 = POINT(2, 1), *p22 = POINT(2, 2), *p23 = POINT(2, 3);
  const f32 *p30 = POINT(3, 0), *p31 = POINT(3, 1), *p32 = POINT(3, 2), *p33 = POINT(3, 3);
#undef POINT
#undef COL_OK
#undef ROW_OK
  for (int c = 0; c < ci; c += 4) {
    f32 *vc = v + c;
    // Columns of B^T d: d0 - d2, d1 + d2, d2 - d1, d1 - d3 down each column j.
#define BT_COLUMN(j, e0, e1, e2, e3)                                                                                        \
  const v128_t e0 = wasm_f32x4_sub(wasm_v128_load(p0##j + c), wasm_v128_load(p2##j + c));                                \
  const v128_t e1 = wasm_f32x4_add(wasm_v128_load(p1##j + c), wasm_v128_load(p2##j + c));                                \
  const v128_t e2 = wasm_f32x4_sub(wasm_v128_load(p2##j + c), wasm_v128_load(p1##j + c));                                \
  const v128_t e3 = wasm_f32x4_sub(wasm_v128_load(p1##j + c), wasm_v128_load(p3##j + c));
    BT_COLUMN(0, a0, a1, a2, a3)
    BT_COLUMN(1, b0, b1, b2, b3)
    BT_COLUMN(2, d0, d1, d2, d3)
    BT_COLUMN(3, e0, e1, e2, e3)
#undef BT_COLUMN
    // Row r of (B^T d) B from row (a, b, d, e): a - d, b + d, d - b, b - e; stored at xi = r*4 + column.
#define B_ROW(r, a, b, d, e)                                           \
  wasm_v128_store(vc + ((r) * 4 + 0) * xi_step, wasm_f32x4_sub(a, d));  \
  wasm_v128_store(vc + ((r) * 4 + 1) * xi_step, wasm_f32x4_add(b, d));  \
  wasm_v128_store(vc + ((r) * 4 + 2) * xi_step, wasm_f32x4_sub(d, b));  \
  wasm_v128_store(vc + ((r) * 4 + 3) * xi_step, wasm_f32x4_sub(b, e));
    B_ROW(0, a0, b0, d0, e0)
    B_ROW(1, a1, b1, d1, e1)
    B_ROW(2, a2, b2, d2, e2)
    B_ROW(3, a3, b3, d3, e3)
#undef B_ROW
  }
}

// Y = A^T M A for 4 lanes of outputs: m(i, j) loads position xi = i*4 + j; writes y00, y01, y10, y11.
#define A_TRANSFORM(m, y00, y01, y10, y11)                                                                                         \
  const v128_t s0_##y00 = wasm_f32x4_add(wasm_f32x4_add(m(0, 0), m(1, 0)), m(2, 0));                                                \
  const v128_t s1_##y00 = wasm_f32x4_add(wasm_f32x4_add(m(0, 1), m(1, 1)), m(2, 1));                                                \
  const v128_t s2_##y00 = wasm_f32x4_add(wasm_f32x4_add(m(0, 2), m(1, 2)), m(2, 2));                                                \
  const v128_t s3_##y00 = wasm_f32x4_add(wasm_f32x4_add(m(0, 3), m(1, 3)), m(2, 3));                                                \
  const v128_t t0_##y00 = wasm_f32x4_sub(wasm_f32x4_sub(m(1, 0), m(2, 0)), m(3, 0));                                                \
  const v128_t t1_##y00 = wasm_f32x4_sub(wasm_f32x4_sub(m(1, 1), m(2, 1)), m(3, 1));                                                \
  const v128_t t2_##y00 = wasm_f32x4_sub(wasm_f32x4_sub(m(1, 2), m(2, 2)), m(3, 2));                                                \
  const v128_t t3_##y00 = wasm_f32x4_sub(wasm_f32x4_sub(m(1, 3), m(2, 3)), m(3, 3));                                                \
  const v128_t y00 = wasm_f32x4_add(wasm_f32x4_add(s0_##y00, s1_##y00), s2_##y00);                                                  \
  const v128_t y01 = wasm_f32x4_sub(wasm_f32x4_sub(s1_##y00, s2_##y00), s3_##y00);                                                  \
  const v128_t y10 = wasm_f32x4_add(wasm_f32x4_add(t0_##y00, t1_##y00), t2_##y00);                                                  \
  const v128_t y11 = wasm_f32x4_sub(wasm_f32x4_sub(t1_##y00, t2_##y00), t3_##y00);

// Output transform of tile t (index k in the chunk) for outputs [o, o + cols) from mbuf [16][chunk][8]:
// bias, ReLU, and only the outputs inside oh x ow are stored.
static void winograd_output_tile(const f32 *mbuf, const f32 *bias, f32 *out, int t, int k, int chunk, int o, int cols, int relu, int th,
                                 int tw, int oh, int ow, int co) {
  const TileOrigin q = tile_origin(t, th, tw);
  const f32 *m = mbuf + k * 8;
#define M_LO(i, j) wasm_v128_load(m + ((i) * 4 + (j)) * chunk * 8)
#define M_HI(i, j) wasm_v128_load(m + ((i) * 4 + (j)) * chunk * 8 + 4)
  A_TRANSFORM(M_LO, l00, l01, l10, l11)
  A_TRANSFORM(M_HI, h00, h01, h10, h11)
#undef M_LO
#undef M_HI
  const v128_t b0 = bias ? wasm_v128_load(bias) : wasm_f32x4_const_splat(0.f);
  const v128_t b1 = bias ? wasm_v128_load(bias + 4) : wasm_f32x4_const_splat(0.f);
  f32 *d = out + ((q.image * oh + q.y) * ow + q.x) * co + o;
  const int right = q.x + 1 < ow, below = q.y + 1 < oh;
  store8(d, finish(l00, b0, relu), finish(h00, b1, relu), cols);
  if (right) store8(d + co, finish(l01, b0, relu), finish(h01, b1, relu), cols);
  if (below) store8(d + ow * co, finish(l10, b0, relu), finish(h10, b1, relu), cols);
  if (below && right) store8(d + (ow + 1) * co, finish(l11, b0, relu), finish(h11, b1, relu), cols);
}

// out [n, oh, ow, co] = act(bias + 3x3 stride-1 conv of x [n, h, w, ci] with the filter transformed by
// winograd_filter) for tiles [t_begin, t_end) of n * ceil(oh/2) * ceil(ow/2); ci % 4 == 0. scratch: this
// thread's 16 * WINO_CHUNK * (ci + 8) floats. zero: ci zeros. bias 0 or 8-padded like conv_forward's.
EXPORT(winograd_conv)
void winograd_conv(const f32 *x, const f32 *u, const f32 *bias, const f32 *zero, f32 *out, f32 *scratch, int t_begin, int t_end, int relu,
                   int n, int h, int w, int ci, int oh, int ow, int co, int pad_top, int pad_left) {
  (void)n;
  const int th = (oh + 1) / 2, tw = (ow + 1) / 2;
  f32 *vbuf = scratch, *mbuf = scratch + 16 * WINO_CHUNK * ci;
  for (int t0 = t_begin; t0 < t_end; t0 += WINO_CHUNK) {
    const int chunk = min_i(WINO_CHUNK, t_end - t0);
    for (int k = 0; k < chunk; k++) winograd_input_tile(x, zero, vbuf + k * ci, chunk * ci, t0 + k, th, tw, h, w, ci, pad_top, pad_left);
    for (int o = 0; o < co; o += 8) {
      const f32 *panel = u + (o / 8) * 16 * ci * 8;
      for (int xi = 0; xi < 16; xi++) {
        const f32 *v = vbuf + xi * chunk * ci, *g = panel + xi * ci * 8;
        f32 *m = mbuf + xi * chunk * 8;
        int k = 0;
        for (; k + 4 <= chunk; k += 4) {
          const Acc4x8 acc = madd_4x8(acc4x8_zero(), v + k * ci, v + (k + 1) * ci, v + (k + 2) * ci, v + (k + 3) * ci, 1, g, ci);
          f32 *d = m + k * 8;
          wasm_v128_store(d, acc.c00);
          wasm_v128_store(d + 4, acc.c01);
          wasm_v128_store(d + 8, acc.c10);
          wasm_v128_store(d + 12, acc.c11);
          wasm_v128_store(d + 16, acc.c20);
          wasm_v128_store(d + 20, acc.c21);
          wasm_v128_store(d + 24, acc.c30);
          wasm_v128_store(d + 28, acc.c31);
        }
        for (; k < chunk; k++) {
          // Tail tiles: the same GEMM with the row repeated (its 3 extra results are dropped).
          const f32 *a = v + k * ci;
          const Acc4x8 acc = madd_4x8(acc4x8_zero(), a, a, a, a, 1, g, ci);
          wasm_v128_store(m + k * 8, acc.c00);
          wasm_v128_store(m + k * 8 + 4, acc.c01);
        }
      }
      const int cols = min_i(8, co - o);
      for (int k = 0; k < chunk; k++) winograd_output_tile(mbuf, bias ? bias + o : 0, out, t0 + k, k, chunk, o, cols, relu, th, tw, oh, ow, co);
    }
  }
}

// Weight gradient of a 3x3 stride-1 conv by the same transforms (Lavin & Gray's F(2x2,3x3) read backwards, as
// F(3x3, 2x2)): for each 2x2 tile of dy and the 4x4 patch of x it came from,
//   dW = G^T [ sum over tiles of (A dy A^T) . (B^T x B) ] G        (A = (A^T)^T, 4x2; dW 3x3 per (ci, co) pair)
// so the sum over tiles is 16 GEMMs S[xi] [ci, co] += V[xi] [ci, tiles] x D[xi] [tiles, co], then one filter
// transform at the end: 16 multiplies per tile and channel pair instead of 36. Threads take disjoint runs of
// 8 outputs [o_begin, o_end) (o_begin a multiple of 8) and each transforms x itself (cheap next to the GEMMs).
// scratch: this thread's 16 * (WINO_GRAD_CHUNK * (ci + co8) + ci * co8) floats, co8 = o_end - o_begin rounded
// up to 8; zero: ci zeros. dw [3, 3, ci, co]: this thread's columns are overwritten. ci % 4 == 0.
#define WINO_GRAD_CHUNK 16

// Floats of scratch one thread of winograd_filter_grad needs for `outputs` output channels.
EXPORT(winograd_filter_grad_scratch)
int winograd_filter_grad_scratch(int ci, int outputs) {
  const int co8 = (outputs + 7) / 8 * 8;
  return 16 * (WINO_GRAD_CHUNK * (ci + co8) + ci * co8);
}

// D[xi] for tile t, outputs [o, o + 8) (zero past co or past the bottom/right edge): dbuf + xi * xi_step.
static void winograd_dy_tile(const f32 *dy, f32 *d, int xi_step, int t, int o, int th, int tw, int oh, int ow, int co) {
  const TileOrigin q = tile_origin(t, th, tw);
  const f32 *row0 = dy + ((q.image * oh + q.y) * ow + q.x) * co + o;
  const int right = q.x + 1 < ow, below = q.y + 1 < oh, full = o + 8 <= co;
  for (int lane = 0; lane < 8; lane += 4) {
    // A 2x2 tile of 4 outputs; lanes past co (the last panel) and points outside dy are 0.
#define DY(p, ok) ((ok) ? (full || o + lane + 4 <= co ? wasm_v128_load((p) + lane) : partial4((p) + lane, co - o - lane)) : wasm_f32x4_const_splat(0.f))
    const v128_t g00 = DY(row0, 1), g01 = DY(row0 + co, right);
    const v128_t g10 = DY(row0 + ow * co, below), g11 = DY(row0 + (ow + 1) * co, below && right);
#undef DY
    // Rows of A g: g0, g0 + g1, g0 - g1, -g1 (per column), then the same along each row.
    const v128_t r0a = g00, r0b = g01;
    const v128_t r1a = wasm_f32x4_add(g00, g10), r1b = wasm_f32x4_add(g01, g11);
    const v128_t r2a = wasm_f32x4_sub(g00, g10), r2b = wasm_f32x4_sub(g01, g11);
    const v128_t r3a = wasm_f32x4_neg(g10), r3b = wasm_f32x4_neg(g11);
#define A_ROW(r, a, b)                                                                       \
  wasm_v128_store(d + ((r) * 4 + 0) * xi_step + lane, a);                                    \
  wasm_v128_store(d + ((r) * 4 + 1) * xi_step + lane, wasm_f32x4_add(a, b));                 \
  wasm_v128_store(d + ((r) * 4 + 2) * xi_step + lane, wasm_f32x4_sub(a, b));                 \
  wasm_v128_store(d + ((r) * 4 + 3) * xi_step + lane, wasm_f32x4_neg(b));
    A_ROW(0, r0a, r0b)
    A_ROW(1, r1a, r1b)
    A_ROW(2, r2a, r2b)
    A_ROW(3, r3a, r3b)
#undef A_ROW
  }
}

EXPORT(winograd_filter_grad)
void winograd_filter_grad(const f32 *x, const f32 *dy, f32 *dw, const f32 *zero, f32 *scratch, int o_begin, int o_end, int n, int h, int w,
                          int ci, int oh, int ow, int co, int pad_top, int pad_left) {
  const int th = (oh + 1) / 2, tw = (ow + 1) / 2, tiles = n * th * tw;
  const int co8 = (o_end - o_begin + 7) / 8 * 8;
  f32 *vbuf = scratch, *dbuf = vbuf + 16 * WINO_GRAD_CHUNK * ci, *sum = dbuf + 16 * WINO_GRAD_CHUNK * co8;
  for (int i = 0; i < 16 * ci * co8; i++) sum[i] = 0.f;
  for (int t0 = 0; t0 < tiles; t0 += WINO_GRAD_CHUNK) {
    const int chunk = min_i(WINO_GRAD_CHUNK, tiles - t0);
    // vbuf [16][chunk][ci] (as the forward conv); dbuf [co8/8][16][chunk][8].
    for (int k = 0; k < chunk; k++) {
      winograd_input_tile(x, zero, vbuf + k * ci, chunk * ci, t0 + k, th, tw, h, w, ci, pad_top, pad_left);
      for (int o = o_begin; o < o_end; o += 8)
        winograd_dy_tile(dy, dbuf + ((o - o_begin) / 8 * 16 * chunk + k) * 8, chunk * 8, t0 + k, o, th, tw, oh, ow, co);
    }
    for (int xi = 0; xi < 16; xi++)
      for (int o = 0; o < co8; o += 8) {
        const f32 *g = dbuf + ((o / 8) * 16 + xi) * chunk * 8;
        for (int i = 0; i < ci; i += 4) {
          // Rows i..i+3 of V[xi]^T: channels i..i+3 of every tile, ci apart.
          const f32 *a = vbuf + xi * chunk * ci + i;
          const Acc4x8 acc = madd_4x8(acc4x8_zero(), a, a + 1, a + 2, a + 3, ci, g, chunk);
          f32 *s = sum + (xi * ci + i) * co8 + o;
#define ADD8(row, lo, hi)                                                                              \
  wasm_v128_store(s + (row) * co8, wasm_f32x4_add(wasm_v128_load(s + (row) * co8), lo));               \
  wasm_v128_store(s + (row) * co8 + 4, wasm_f32x4_add(wasm_v128_load(s + (row) * co8 + 4), hi));
          ADD8(0, acc.c00, acc.c01)
          ADD8(1, acc.c10, acc.c11)
          ADD8(2, acc.c20, acc.c21)
          ADD8(3, acc.c30, acc.c31)
#undef ADD8
        }
      }
  }
  // dW[ky][kx] = sum over a, b of G[a][ky] S[a*4 + b] G[b][kx], G^T = [1 .5 .5 0; 0 .5 -.5 0; 0 .5 .5 1]; 4 outputs at a time.
  const v128_t half = wasm_f32x4_const_splat(0.5f);
  for (int i = 0; i < ci; i++)
    for (int o = 0; o < o_end - o_begin; o += 4) {
      const f32 *s = sum + i * co8 + o;
#define S(a, b) wasm_v128_load(s + ((a) * 4 + (b)) * ci * co8)
      // Columns of G^T S: for each b, (S0 + (S1 + S2)/2, (S1 - S2)/2, (S1 + S2)/2 + S3).
#define GT_COLUMN(b, r0, r1, r2)                                                  \
  const v128_t p##b = wasm_f32x4_mul(half, wasm_f32x4_add(S(1, b), S(2, b)));     \
  const v128_t r0 = wasm_f32x4_add(S(0, b), p##b);                                \
  const v128_t r1 = wasm_f32x4_mul(half, wasm_f32x4_sub(S(1, b), S(2, b)));       \
  const v128_t r2 = wasm_f32x4_add(p##b, S(3, b));
      GT_COLUMN(0, a0, a1, a2)
      GT_COLUMN(1, b0, b1, b2)
      GT_COLUMN(2, e0, e1, e2)
      GT_COLUMN(3, f0, f1, f2)
#undef GT_COLUMN
#undef S
      const int count = min_i(4, o_end - o_begin - o);
      f32 *d = dw + i * co + o_begin + o;
#define G_ROW_OUT(ky, a, b, e, f)                                                                                        \
  {                                                                                                                      \
    const v128_t q = wasm_f32x4_mul(half, wasm_f32x4_add(b, e));                                                         \
    store_partial4(d + ((ky) * 3 + 0) * ci * co, wasm_f32x4_add(a, q), count);                                           \
    store_partial4(d + ((ky) * 3 + 1) * ci * co, wasm_f32x4_mul(half, wasm_f32x4_sub(b, e)), count);                     \
    store_partial4(d + ((ky) * 3 + 2) * ci * co, wasm_f32x4_add(q, f), count);                                           \
  }
      G_ROW_OUT(0, a0, b0, e0, f0)
      G_ROW_OUT(1, a1, b1, e1, f1)
      G_ROW_OUT(2, a2, b2, e2, f2)
#undef G_ROW_OUT
    }
}

// ReLU's gradient in one pass: out[i] = x[i] > 0 ? dy[i] : 0 for i < n (tfjs: Step, then a Multiply), with
// values below 2^-64 zeroed (see zero_below: tiny gradients, multiplied on, made later kernels slow).
EXPORT(relu_grad)
void relu_grad(const f32 *dy, const f32 *x, int n, f32 *out) {
  int i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(out + i, zero_below(wasm_v128_and(wasm_v128_load(dy + i), wasm_f32x4_gt(wasm_v128_load(x + i), wasm_f32x4_const_splat(0.f))), TINY_EXPONENT_BITS));
  for (; i < n; i++) out[i] = x[i] > 0.f ? zero_below_1(dy[i], TINY_EXPONENT_BITS) : 0.f;
}

// x[0..n) with subnormal values set to 0, in place: the training loop runs it over every variable (weights
// and optimizer state) now and then, since tfjs' own kernels would otherwise meet them too (see zero_below).
EXPORT(flush_subnormals)
void flush_subnormals(f32 *x, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(x + i, zero_below(wasm_v128_load(x + i), SUBNORMAL_EXPONENT_BITS));
  for (; i < n; i++) x[i] = zero_below_1(x[i], SUBNORMAL_EXPONENT_BITS);
}

// Adam's step for one variable in one pass, in tfjs' order of float32 operations (AdamOptimizer.applyGradients):
//   m' = m b1 + g (1 - b1), v' = v b2 + g^2 (1 - b2), w' = (m' / c1) / (sqrt(v' / c2) + eps) * (-lr) + w
// with c1 = 1 - b1^t, c2 = 1 - b2^t. w, m, v, g [n]; params [8] = b1, 1 - b1, b2, 1 - b2, -lr, eps, c1, c2;
// outputs [n] each (tfjs assigns new tensors to its variables).
EXPORT(adam_update)
void adam_update(const f32 *w, const f32 *m, const f32 *v, const f32 *g, int n, const f32 *params, f32 *w_out, f32 *m_out, f32 *v_out) {
  const f32 b1 = params[0], b1c = params[1], b2 = params[2], b2c = params[3], neg_lr = params[4], eps = params[5], c1 = params[6], c2 = params[7];
  const v128_t vb1 = wasm_f32x4_splat(b1), vb1c = wasm_f32x4_splat(b1c), vb2 = wasm_f32x4_splat(b2), vb2c = wasm_f32x4_splat(b2c);
  const v128_t vlr = wasm_f32x4_splat(neg_lr), veps = wasm_f32x4_splat(eps), vc1 = wasm_f32x4_splat(c1), vc2 = wasm_f32x4_splat(c2);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), wasm_f32x4_mul(gi, vb1c));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), vb2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), vb2c));
    const v128_t step = wasm_f32x4_div(wasm_f32x4_div(mi, vc1), wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, vc2)), veps));
    wasm_v128_store(m_out + i, mi);
    wasm_v128_store(v_out + i, vi);
    wasm_v128_store(w_out + i, wasm_f32x4_add(wasm_f32x4_mul(step, vlr), wasm_v128_load(w + i)));
  }
  for (; i < n; i++) {
    const f32 mi = m[i] * b1 + g[i] * b1c;
    const f32 vi = v[i] * b2 + (g[i] * g[i]) * b2c;
    m_out[i] = mi;
    v_out[i] = vi;
    w_out[i] = ((mi / c1) / (__builtin_sqrtf(vi / c2) + eps)) * neg_lr + w[i];
  }
}

// SGD with momentum for one variable in one pass, in tfjs' order (MomentumOptimizer.applyGradients):
//   a' = mu a + g; w' = -lr (g + a' mu) + w with Nesterov, -lr a' + w without.
// w, a, g [n]; params [3] = mu, -lr, nesterov (0 or 1); outputs [n] each.
EXPORT(momentum_update)
void momentum_update(const f32 *w, const f32 *a, const f32 *g, int n, const f32 *params, f32 *w_out, f32 *a_out) {
  const f32 mu = params[0], neg_lr = params[1];
  const int nesterov = params[2] != 0.f;
  const v128_t vmu = wasm_f32x4_splat(mu), vlr = wasm_f32x4_splat(neg_lr);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t ai = wasm_f32x4_add(wasm_f32x4_mul(vmu, wasm_v128_load(a + i)), gi);
    const v128_t step = nesterov ? wasm_f32x4_add(gi, wasm_f32x4_mul(ai, vmu)) : ai;
    wasm_v128_store(a_out + i, ai);
    wasm_v128_store(w_out + i, wasm_f32x4_add(wasm_f32x4_mul(vlr, step), wasm_v128_load(w + i)));
  }
  for (; i < n; i++) {
    const f32 ai = mu * a[i] + g[i];
    a_out[i] = ai;
    w_out[i] = neg_lr * (nesterov ? g[i] + ai * mu : ai) + w[i];
  }
}

// Weight gradient of a conv with one input channel (a net's first layer: gray faces), any kernel and stride:
// dw [kh*kw][co] (row ky*kw + kx; columns [o_begin, o_end) overwritten) = sum over output pixels of the x value
// under each tap times dy [n, oh, ow, co]. xp is x zero-padded by the caller to [n][hp][wp] so that every tap of
// every output pixel falls inside it. Per output row and kernel row: 8 outputs x 3 taps in six accumulators over
// the row's pixels (one row of dy stays in L1 across the passes). The GEMM kernels would pad x to 4 channels and
// do 4x the work.
EXPORT(conv_filter_grad_c1)
void conv_filter_grad_c1(const f32 *xp, const f32 *dy, f32 *dw, int o_begin, int o_end, int n, int hp, int wp, int oh, int ow, int co, int kh,
                         int kw, int sh, int sw) {
  for (int t = 0; t < kh * kw; t++)
    for (int o = o_begin; o < o_end; o++) dw[t * co + o] = 0.f;
  for (int b = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++) {
      const f32 *g = dy + (b * oh + oy) * ow * co;
      for (int ky = 0; ky < kh; ky++) {
        const f32 *xrow = xp + (b * hp + oy * sh + ky) * wp;
        int kx = 0;
        for (; kx + 3 <= kw; kx += 3) {
          int o = o_begin;
          for (; o + 8 <= o_end; o += 8) {
            f32 *d = dw + (ky * kw + kx) * co + o;
            v128_t a0 = wasm_v128_load(d), b0 = wasm_v128_load(d + 4);
            v128_t a1 = wasm_v128_load(d + co), b1 = wasm_v128_load(d + co + 4);
            v128_t a2 = wasm_v128_load(d + 2 * co), b2 = wasm_v128_load(d + 2 * co + 4);
            for (int ox = 0; ox < ow; ox++) {
              const f32 *gp = g + ox * co + o, *xv = xrow + kx + ox * sw;
              const v128_t g0 = wasm_v128_load(gp), g1 = wasm_v128_load(gp + 4);
              v128_t s = wasm_v128_load32_splat(xv);
              a0 = madd(a0, s, g0);
              b0 = madd(b0, s, g1);
              s = wasm_v128_load32_splat(xv + 1);
              a1 = madd(a1, s, g0);
              b1 = madd(b1, s, g1);
              s = wasm_v128_load32_splat(xv + 2);
              a2 = madd(a2, s, g0);
              b2 = madd(b2, s, g1);
            }
            wasm_v128_store(d, a0);
            wasm_v128_store(d + 4, b0);
            wasm_v128_store(d + co, a1);
            wasm_v128_store(d + co + 4, b1);
            wasm_v128_store(d + 2 * co, a2);
            wasm_v128_store(d + 2 * co + 4, b2);
          }
          // Outputs past the last 8 (co not a multiple of 8): one at a time.
          for (; o < o_end; o++)
            for (int t = 0; t < 3; t++) {
              f32 acc = dw[(ky * kw + kx + t) * co + o];
              for (int ox = 0; ox < ow; ox++) acc += xrow[kx + t + ox * sw] * g[ox * co + o];
              dw[(ky * kw + kx + t) * co + o] = acc;
            }
        }
        // Taps past the last 3 of the kernel row (kw not a multiple of 3): one at a time.
        for (; kx < kw; kx++)
          for (int o = o_begin; o < o_end; o++) {
            f32 acc = dw[(ky * kw + kx) * co + o];
            for (int ox = 0; ox < ow; ox++) acc += xrow[kx + ox * sw] * g[ox * co + o];
            dw[(ky * kw + kx) * co + o] = acc;
          }
      }
    }
}

// tf.image.transform with bilinear interpolation and 'nearest' fill (edges extended, fill value 0), as
// tfjs-wasm's Transform computes it, for images [b_begin, b_end) of image [n, h, w, c] -> out [n, oh, ow, c]:
// output (x, y) reads the input at ((a0 x + a1 y + a2) / p, (a3 x + a4 y + a5) / p), p = a6 x + a7 y + 1, with
// a = transforms + 8 * b (or + 0 for all images when per_image is 0), clamped to the image. The same float
// operations in the same order, specialised and on the thread pool (tfjs' runs on one thread).
EXPORT(warp_bilinear_nearest)
void warp_bilinear_nearest(const f32 *image, const f32 *transforms, int per_image, f32 *out, int b_begin, int b_end, int h, int w, int c, int oh,
                           int ow) {
  for (int b = b_begin; b < b_end; b++) {
    const f32 *a = transforms + (per_image ? 8 * b : 0);
    const f32 *img = image + b * h * w * c;
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++) {
        f32 *o = out + ((b * oh + oy) * ow + ox) * c;
        const f32 projection = a[6] * (f32)ox + a[7] * (f32)oy + 1.f;
        if (projection == 0.f) {
          for (int ch = 0; ch < c; ch++) o[ch] = 0.f;
          continue;
        }
        const f32 in_x = (a[0] * (f32)ox + a[1] * (f32)oy + a[2]) / projection;
        const f32 in_y = (a[3] * (f32)ox + a[4] * (f32)oy + a[5]) / projection;
        const f32 x = in_x < 0.f ? 0.f : in_x > (f32)(w - 1) ? (f32)(w - 1) : in_x;
        const f32 y = in_y < 0.f ? 0.f : in_y > (f32)(h - 1) ? (f32)(h - 1) : in_y;
        const f32 x_floor = __builtin_floorf(x), y_floor = __builtin_floorf(y);
        const f32 x_ceil = x_floor + 1.f, y_ceil = y_floor + 1.f;
        const int x0 = (int)x_floor, y0 = (int)y_floor, x1 = x0 + 1, y1 = y0 + 1;
        // Neighbours past the last row or column read the fill value 0 (their weight is 0 there anyway).
        const int has_x1 = x1 < w, has_y1 = y1 < h;
        for (int ch = 0; ch < c; ch++) {
          const f32 v00 = img[(y0 * w + x0) * c + ch], v01 = has_x1 ? img[(y0 * w + x1) * c + ch] : 0.f;
          const f32 v10 = has_y1 ? img[(y1 * w + x0) * c + ch] : 0.f, v11 = has_x1 && has_y1 ? img[(y1 * w + x1) * c + ch] : 0.f;
          const f32 value_yfloor = (x_ceil - x) * v00 + (x - x_floor) * v01;
          const f32 value_yceil = (x_ceil - x) * v10 + (x - x_floor) * v11;
          o[ch] = (y_ceil - y) * value_yfloor + (y - y_floor) * value_yceil;
        }
      }
  }
}

// The machine's SIMD multiply-add peak, for bench:train: `iterations` rounds of 12 independent four-lane
// multiply-adds (madd above: one fused instruction in the relaxed build, a multiply and an add in the plain
// one), 48 multiply-adds a round. Twelve chains cover the latency of the adds (about 4 cycles at 2 a cycle)
// and stay within x86's 16 vector registers. state [3]: a, b in; the sum of the chains out (state[2]), so the
// work is not dead code. With b small and positive the values stay far from subnormals and infinities.
EXPORT(simd_peak)
void simd_peak(f32 *state, int iterations) {
  const v128_t a = wasm_f32x4_splat(state[0]), b = wasm_f32x4_splat(state[1]);
  v128_t c0 = wasm_f32x4_splat(state[2]), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
  v128_t c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
  for (int i = 0; i < iterations; i++) {
    c0 = madd(c0, a, b);
    c1 = madd(c1, a, b);
    c2 = madd(c2, a, b);
    c3 = madd(c3, a, b);
    c4 = madd(c4, a, b);
    c5 = madd(c5, a, b);
    c6 = madd(c6, a, b);
    c7 = madd(c7, a, b);
    c8 = madd(c8, a, b);
    c9 = madd(c9, a, b);
    c10 = madd(c10, a, b);
    c11 = madd(c11, a, b);
  }
  const v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(c0, c1), wasm_f32x4_add(c2, c3)),
                                  wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(c4, c5), wasm_f32x4_add(c6, c7)),
                                                 wasm_f32x4_add(wasm_f32x4_add(c8, c9), wasm_f32x4_add(c10, c11))));
  state[2] = wasm_f32x4_extract_lane(s, 0);
}
