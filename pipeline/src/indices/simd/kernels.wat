;; SIMD kernels for the index table (f32x4, 16-byte steps). Memory is imported so callers can
;; place inputs directly in it. NaN rules as in families.ts: |den| < 1e-10, NaN or Inf -> NaN.
(module
  (import "env" "memory" (memory 1))
  ;; out[i] = (a[i] - b[i]) / (a[i] + b[i]); n a multiple of 4 (the caller finishes the tail).
  (func (export "nd") (param $a i32) (param $b i32) (param $out i32) (param $n i32)
    (local $i i32) (local $va v128) (local $vb v128) (local $s v128) (local $q v128) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $va (v128.load (i32.add (local.get $a) (local.get $i))))
        (local.set $vb (v128.load (i32.add (local.get $b) (local.get $i))))
        (local.set $s (f32x4.add (local.get $va) (local.get $vb)))
        (local.set $q (f32x4.div (f32x4.sub (local.get $va) (local.get $vb)) (local.get $s)))
        ;; keep q where |s| >= 1e-10 (false for NaN), NaN elsewhere; Inf inputs already give NaN
        (v128.store (i32.add (local.get $out) (local.get $i))
          (v128.bitselect
            (local.get $q)
            (v128.const f32x4 nan nan nan nan)
            (f32x4.ge (f32x4.abs (local.get $s)) (v128.const f32x4 1e-10 1e-10 1e-10 1e-10))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
;; out[i] = sum_k c[k] * band_k[i] + k0 over six bands at b0 + k*stride; n a multiple of 4.
  ;; Non-finite results (NaN or Inf inputs) become NaN.
  (func (export "lin6") (param $b0 i32) (param $stride i32) (param $out i32) (param $n i32)
    (param $c0 f32) (param $c1 f32) (param $c2 f32) (param $c3 f32) (param $c4 f32) (param $c5 f32) (param $k f32)
    (local $i i32) (local $end i32) (local $p i32) (local $acc v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $b0) (local.get $i)))
        (local.set $acc (f32x4.splat (local.get $k)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $p)) (f32x4.splat (local.get $c0)))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $p)) (f32x4.splat (local.get $c1)))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $p)) (f32x4.splat (local.get $c2)))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $p)) (f32x4.splat (local.get $c3)))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $p)) (f32x4.splat (local.get $c4)))))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $p)) (f32x4.splat (local.get $c5)))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (v128.bitselect
            (local.get $acc)
            (v128.const f32x4 nan nan nan nan)
            (f32x4.lt (f32x4.abs (local.get $acc)) (v128.const f32x4 inf inf inf inf))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
)
