// SIMD kernels for tfjs' 'wasm' backend, compiled to wasm32 + SIMD128 by scripts/build-wasm-kernels.ts.
// The module imports tfjs-backend-wasm's own memory, so every pointer is a tensor's memoryOffset and no data
// is copied in or out. IMPORTANT: no static data and no stack (no arrays or address-taken locals): the
// module shares the heap with the emscripten runtime, and the build fails if the code touches
// __stack_pointer or has a data section.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

typedef float f32;

static inline int min_i(int a, int b) { return a < b ? a : b; }
static inline int max_i(int a, int b) { return a > b ? a : b; }

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
// for b < batch, r < rows, c < cols. 4x4 blocks go through SIMD shuffles.
EXPORT(transpose_batched)
void transpose_batched(const f32 *src, f32 *dst, int batch, int rows, int cols, int sbs, int srs, int dbs, int drs) {
  for (int b = 0; b < batch; b++) {
    const f32 *s = src + b * sbs;
    f32 *d = dst + b * dbs;
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
}

// Gradient of a max pool, NHWC. x [n, h, w, ch] the pool's input, dy [n, oh, ow, ch], dx [n, h, w, ch]
// (overwritten). Each dy value goes to the first maximum of its window in row-major order (what tfjs'
// CPU backend does, which matters for ties such as the zeros after a ReLU).
EXPORT(max_pool_grad)
void max_pool_grad(const f32 *x, const f32 *dy, f32 *dx, int n, int h, int w, int ch, int oh, int ow, int kh, int kw,
                   int sh, int sw, int pad_top, int pad_left) {
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
              acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(xrow + (ox * sw + shift) * ch + c), wasm_v128_load(grow + ox * ch + c)));
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
