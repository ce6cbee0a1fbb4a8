;; The histogram grower's inner loops (histogram-tree.ts), on one shared memory that the main
;; thread and the histogram helper thread both use. scripts/build-wasm.mjs compiles this file into
;; histogram-kernels-wasm.ts; edit this file, then run `node scripts/build-wasm.mjs`.
;;
;; Every pointer is a byte address in the memory. Wasm bounds-checks the accesses against the
;; memory's size (cheaply, with guard pages), not against each array: the caller keeps the
;; arguments inside the arrays histogram-tree.ts lays out.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Zeroes hist[0, histBytes), then adds each row's gradient pair (two f64 at gradHess + 16 × row)
  ;; to the histogram slot of its bin in every listed column, and 1 to the slot after it when
  ;; `counted`. Rows are the u32 row ids at [first, end). `index` holds, per row, rowBytes bytes
  ;; of u16 slot numbers (f64 units into hist), one per storage column; `columns` to `columnsEnd`
  ;; lists the byte offsets within a row's index of the columns to update. The pair is added as
  ;; one f64x2: the same two IEEE additions as scalar code, so the sums are the same bits.
  (func (export "histogram16")
    (param $first i32) (param $end i32) (param $index i32) (param $rowBytes i32)
    (param $columns i32) (param $columnsEnd i32) (param $gradHess i32)
    (param $hist i32) (param $histBytes i32) (param $counted i32)
    (local $row i32) (local $rowIndex i32) (local $column i32) (local $pair v128) (local $at i32)
    (memory.fill (local.get $hist) (i32.const 0) (local.get $histBytes))
    (if (i32.ge_u (local.get $first) (local.get $end)) (then (return)))
    (if (i32.ge_u (local.get $columns) (local.get $columnsEnd)) (then (return)))
    (loop $rows
      (local.set $row (i32.load (local.get $first)))
      (local.set $pair (v128.load (i32.add (local.get $gradHess) (i32.shl (local.get $row) (i32.const 4)))))
      (local.set $rowIndex (i32.add (local.get $index) (i32.mul (local.get $row) (local.get $rowBytes))))
      (local.set $column (local.get $columns))
      (loop $columns
        (local.set $at
          (i32.add (local.get $hist)
            (i32.shl (i32.load16_u (i32.add (local.get $rowIndex) (i32.load (local.get $column)))) (i32.const 3))))
        (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (local.get $pair)))
        (if (local.get $counted)
          (then (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (f64.const 1)))))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (br_if $columns (i32.lt_u (local.get $column) (local.get $columnsEnd))))
      (local.set $first (i32.add (local.get $first) (i32.const 4)))
      (br_if $rows (i32.lt_u (local.get $first) (local.get $end)))))

;; histogram16 over every storage column (the list unused): the index of a row is read
  ;; straight through, without looking each column up (about 15% faster).
  (func (export "histogramAll16")
    (param $first i32) (param $end i32) (param $index i32) (param $rowBytes i32)
    (param $columns i32) (param $columnsEnd i32) (param $gradHess i32)
    (param $hist i32) (param $histBytes i32) (param $counted i32)
    (local $row i32) (local $cell i32) (local $cellsEnd i32) (local $pair v128) (local $at i32)
    (memory.fill (local.get $hist) (i32.const 0) (local.get $histBytes))
    (if (i32.ge_u (local.get $first) (local.get $end)) (then (return)))
    (if (i32.eqz (local.get $rowBytes)) (then (return)))
    (loop $rows
      (local.set $row (i32.load (local.get $first)))
      (local.set $pair (v128.load (i32.add (local.get $gradHess) (i32.shl (local.get $row) (i32.const 4)))))
      (local.set $cell (i32.add (local.get $index) (i32.mul (local.get $row) (local.get $rowBytes))))
      (local.set $cellsEnd (i32.add (local.get $cell) (local.get $rowBytes)))
      (loop $columns
        (local.set $at (i32.add (local.get $hist) (i32.shl (i32.load16_u (local.get $cell)) (i32.const 3))))
        (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (local.get $pair)))
        (if (local.get $counted)
          (then (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (f64.const 1)))))
        (local.set $cell (i32.add (local.get $cell) (i32.const 2)))
        (br_if $columns (i32.lt_u (local.get $cell) (local.get $cellsEnd))))
      (local.set $first (i32.add (local.get $first) (i32.const 4)))
      (br_if $rows (i32.lt_u (local.get $first) (local.get $end)))))

  ;; histogram16 with u32 slot numbers (histograms of more than 65,535 slots).
  (func (export "histogram32")
    (param $first i32) (param $end i32) (param $index i32) (param $rowBytes i32)
    (param $columns i32) (param $columnsEnd i32) (param $gradHess i32)
    (param $hist i32) (param $histBytes i32) (param $counted i32)
    (local $row i32) (local $rowIndex i32) (local $column i32) (local $pair v128) (local $at i32)
    (memory.fill (local.get $hist) (i32.const 0) (local.get $histBytes))
    (if (i32.ge_u (local.get $first) (local.get $end)) (then (return)))
    (if (i32.ge_u (local.get $columns) (local.get $columnsEnd)) (then (return)))
    (loop $rows
      (local.set $row (i32.load (local.get $first)))
      (local.set $pair (v128.load (i32.add (local.get $gradHess) (i32.shl (local.get $row) (i32.const 4)))))
      (local.set $rowIndex (i32.add (local.get $index) (i32.mul (local.get $row) (local.get $rowBytes))))
      (local.set $column (local.get $columns))
      (loop $columns
        (local.set $at
          (i32.add (local.get $hist)
            (i32.shl (i32.load (i32.add (local.get $rowIndex) (i32.load (local.get $column)))) (i32.const 3))))
        (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (local.get $pair)))
        (if (local.get $counted)
          (then (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (f64.const 1)))))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (br_if $columns (i32.lt_u (local.get $column) (local.get $columnsEnd))))
      (local.set $first (i32.add (local.get $first) (i32.const 4)))
      (br_if $rows (i32.lt_u (local.get $first) (local.get $end)))))

  ;; Stable partition of the u32 row ids at [first, end) on bins[row] <= splitBin (bins: one u8
  ;; per row): the left rows move to the front of the range, in order, and the right ones to
  ;; scratch, in order; returns the number of left rows. Branch-free: a row's side is as good as
  ;; random, so a branch would mispredict half the time.
  (func (export "partition")
    (param $first i32) (param $end i32) (param $scratch i32) (param $bins i32) (param $splitBin i32)
    (result i32)
    (local $start i32) (local $left i32) (local $row i32) (local $goesLeft i32)
    (local.set $start (local.get $first))
    (local.set $left (local.get $first))
    (if (i32.ge_u (local.get $first) (local.get $end)) (then (return (i32.const 0))))
    (loop $rows
      (local.set $row (i32.load (local.get $first)))
      (local.set $goesLeft (i32.le_u (i32.load8_u (i32.add (local.get $bins) (local.get $row))) (local.get $splitBin)))
      (i32.store (local.get $left) (local.get $row))
      (i32.store (local.get $scratch) (local.get $row))
      (local.set $left (i32.add (local.get $left) (i32.shl (local.get $goesLeft) (i32.const 2))))
      (local.set $scratch
        (i32.add (local.get $scratch) (i32.shl (i32.xor (local.get $goesLeft) (i32.const 1)) (i32.const 2))))
      (local.set $first (i32.add (local.get $first) (i32.const 4)))
      (br_if $rows (i32.lt_u (local.get $first) (local.get $end))))
    (i32.shr_u (i32.sub (local.get $left) (local.get $start)) (i32.const 2)))

  ;; e^x in both lanes, for the logistic function: x = k ln 2 + r with k an integer and
  ;; |r| <= ln 2 / 2 (Cody-Waite: ln 2 in a high part whose product with k is exact and a low
  ;; part), e^r from its Taylor series to r^13 (truncation below 1e-17 relative) in Estrin's scheme
  ;; (a short dependency chain: Horner's made the loop latency-bound), times 2^k. k is rounded by
  ;; adding 1.5 × 2^52, which leaves it in the sum's low bits, whence 2^k's exponent bits. Within a
  ;; few ulps of Math.exp, and only IEEE arithmetic, so the same bits on every machine and in
  ;; either lane. x is clamped to [-708, 708], where 2^k is normal; e^-708 is 3e-308.
  (func $exp (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $r2 v128) (local $r4 v128)
    (local $shifted v128)
    (local.set $x (f64x2.pmax (f64x2.pmin (local.get $x) (v128.const f64x2 708 708)) (v128.const f64x2 -708 -708)))
    (local.set $shifted
      (f64x2.add
        (f64x2.mul (local.get $x) (v128.const f64x2 1.4426950408889634 1.4426950408889634))
        (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $k (f64x2.sub (local.get $shifted) (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $r
      (f64x2.sub
        (f64x2.sub (local.get $x)
          (f64x2.mul (local.get $k) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01)))
        (f64x2.mul (local.get $k) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10))))
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    (f64x2.mul
      ;; (c0 + c1 r + (c2 + c3 r) r^2) + (c4 + c5 r + (c6 + c7 r) r^2) r^4
      ;;   + ((c8 + c9 r + (c10 + c11 r) r^2) + (c12 + c13 r) r^4) r^8, with c_i = 1 / i!
      (f64x2.add
        (f64x2.add
          (f64x2.add
            (f64x2.add (v128.const f64x2 1 1) (local.get $r))
            (f64x2.mul (local.get $r2)
              (f64x2.add (v128.const f64x2 0.5 0.5)
                (f64x2.mul (local.get $r) (v128.const f64x2 1.6666666666666666e-1 1.6666666666666666e-1)))))
          (f64x2.mul (local.get $r4)
            (f64x2.add
              (f64x2.add (v128.const f64x2 4.1666666666666664e-2 4.1666666666666664e-2)
                (f64x2.mul (local.get $r) (v128.const f64x2 8.3333333333333332e-3 8.3333333333333332e-3)))
              (f64x2.mul (local.get $r2)
                (f64x2.add (v128.const f64x2 1.3888888888888889e-3 1.3888888888888889e-3)
                  (f64x2.mul (local.get $r) (v128.const f64x2 1.9841269841269841e-4 1.9841269841269841e-4)))))))
        (f64x2.mul (f64x2.mul (local.get $r4) (local.get $r4))
          (f64x2.add
            (f64x2.add
              (f64x2.add (v128.const f64x2 2.4801587301587302e-5 2.4801587301587302e-5)
                (f64x2.mul (local.get $r) (v128.const f64x2 2.7557319223985893e-6 2.7557319223985893e-6)))
              (f64x2.mul (local.get $r2)
                (f64x2.add (v128.const f64x2 2.7557319223985888e-7 2.7557319223985888e-7)
                  (f64x2.mul (local.get $r) (v128.const f64x2 2.5052108385441720e-8 2.5052108385441720e-8)))))
            (f64x2.mul (local.get $r4)
              (f64x2.add (v128.const f64x2 2.0876756987868100e-9 2.0876756987868100e-9)
                (f64x2.mul (local.get $r) (v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10)))))))
      (i64x2.shl (i64x2.add (local.get $shifted) (v128.const i64x2 1023 1023)) (i32.const 52))))

  ;; The logistic gradient pairs of two rows from their raw scores and targets (lanes 0 and 1):
  ;; p = 1 / (1 + e^-score), gradient p - target, hessian p (1 - p); returns the first row's pair
  ;; and leaves the second row's in $second.
  (global $second (mut v128) (v128.const i64x2 0 0))
  (func $logisticPairs (param $scores v128) (param $targets v128) (result v128)
    (local $p v128) (local $gradients v128) (local $hessians v128)
    (local.set $p
      (f64x2.div (v128.const f64x2 1 1)
        (f64x2.add (v128.const f64x2 1 1) (call $exp (f64x2.neg (local.get $scores))))))
    (local.set $gradients (f64x2.sub (local.get $p) (local.get $targets)))
    (local.set $hessians (f64x2.mul (local.get $p) (f64x2.sub (v128.const f64x2 1 1) (local.get $p))))
    (global.set $second
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $gradients) (local.get $hessians)))
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $gradients) (local.get $hessians)))

  ;; Binary log-loss gradient pairs of the rows whose f64 raw scores are at [scores, scoresEnd)
  ;; (one output), targets (f64, 0 or 1) at the same offsets from `targets`, pairs written from
  ;; gradHess on; two rows at a time, then a last odd row alone.
  (func (export "logisticGradients")
    (param $scores i32) (param $scoresEnd i32) (param $targets i32) (param $gradHess i32)
    (local $pairEnd i32)
    (local.set $pairEnd
      (i32.add (local.get $scores) (i32.and (i32.sub (local.get $scoresEnd) (local.get $scores)) (i32.const -16))))
    (if (i32.lt_u (local.get $scores) (local.get $pairEnd))
      (then
        (loop $rows
          (v128.store (local.get $gradHess)
            (call $logisticPairs (v128.load (local.get $scores)) (v128.load (local.get $targets))))
          (v128.store offset=16 (local.get $gradHess) (global.get $second))
          (local.set $scores (i32.add (local.get $scores) (i32.const 16)))
          (local.set $targets (i32.add (local.get $targets) (i32.const 16)))
          (local.set $gradHess (i32.add (local.get $gradHess) (i32.const 32)))
          (br_if $rows (i32.lt_u (local.get $scores) (local.get $pairEnd))))))
    (if (i32.lt_u (local.get $scores) (local.get $scoresEnd))
      (then
        (v128.store (local.get $gradHess)
          (call $logisticPairs (v128.load64_splat (local.get $scores)) (v128.load64_splat (local.get $targets)))))))

;; Copies `bytes` bytes from `source` to `target` (memmove: the ranges may overlap).
  (func (export "copy") (param $target i32) (param $source i32) (param $bytes i32)
    (memory.copy (local.get $target) (local.get $source) (local.get $bytes)))

  ;; Writes `leaf` as the u16 leaf number (at leafOf + 2 × row) of every u32 row id at [first, end).
  (func (export "markLeaf") (param $first i32) (param $end i32) (param $leafOf i32) (param $leaf i32)
    (if (i32.ge_u (local.get $first) (local.get $end)) (then (return)))
    (loop $rows
      (i32.store16
        (i32.add (local.get $leafOf) (i32.shl (i32.load (local.get $first)) (i32.const 1)))
        (local.get $leaf))
      (local.set $first (i32.add (local.get $first) (i32.const 4)))
      (br_if $rows (i32.lt_u (local.get $first) (local.get $end)))))

  ;; For the u16 leaf numbers at [leafOf, leafOfEnd), one per row, adds the f64 value of the leaf
  ;; (at values + 8 × leaf) to the row's f64 score: the first row's at `scores`, each next one
  ;; `stride` bytes further.
  (func (export "addLeafValues")
    (param $leafOf i32) (param $leafOfEnd i32) (param $values i32) (param $scores i32) (param $stride i32)
    (if (i32.ge_u (local.get $leafOf) (local.get $leafOfEnd)) (then (return)))
    (loop $rows
      (f64.store (local.get $scores)
        (f64.add (f64.load (local.get $scores))
          (f64.load (i32.add (local.get $values) (i32.shl (i32.load16_u (local.get $leafOf)) (i32.const 3))))))
      (local.set $scores (i32.add (local.get $scores) (local.get $stride)))
      (local.set $leafOf (i32.add (local.get $leafOf) (i32.const 2)))
      (br_if $rows (i32.lt_u (local.get $leafOf) (local.get $leafOfEnd)))))

  ;; addLeafValues for one output (consecutive f64 scores) followed by logisticGradients of the
  ;; same rows, in one pass: the new scores are used while in registers, not read again.
  (func (export "addLeafValuesLogistic")
    (param $leafOf i32) (param $leafOfEnd i32) (param $values i32) (param $scores i32)
    (param $targets i32) (param $gradHess i32)
    (local $pairEnd i32) (local $score v128)
    (local.set $pairEnd
      (i32.add (local.get $leafOf) (i32.and (i32.sub (local.get $leafOfEnd) (local.get $leafOf)) (i32.const -4))))
    (if (i32.lt_u (local.get $leafOf) (local.get $pairEnd))
      (then
        (loop $rows
          (local.set $score
            (f64x2.add (v128.load (local.get $scores))
              (f64x2.replace_lane 1
                (f64x2.splat
                  (f64.load (i32.add (local.get $values) (i32.shl (i32.load16_u (local.get $leafOf)) (i32.const 3)))))
                (f64.load
                  (i32.add (local.get $values) (i32.shl (i32.load16_u offset=2 (local.get $leafOf)) (i32.const 3)))))))
          (v128.store (local.get $scores) (local.get $score))
          (v128.store (local.get $gradHess) (call $logisticPairs (local.get $score) (v128.load (local.get $targets))))
          (v128.store offset=16 (local.get $gradHess) (global.get $second))
          (local.set $leafOf (i32.add (local.get $leafOf) (i32.const 4)))
          (local.set $scores (i32.add (local.get $scores) (i32.const 16)))
          (local.set $targets (i32.add (local.get $targets) (i32.const 16)))
          (local.set $gradHess (i32.add (local.get $gradHess) (i32.const 32)))
          (br_if $rows (i32.lt_u (local.get $leafOf) (local.get $pairEnd))))))
    (if (i32.lt_u (local.get $leafOf) (local.get $leafOfEnd))
      (then
        (local.set $score
          (f64x2.splat
            (f64.add (f64.load (local.get $scores))
              (f64.load (i32.add (local.get $values) (i32.shl (i32.load16_u (local.get $leafOf)) (i32.const 3)))))))
        (f64.store (local.get $scores) (f64x2.extract_lane 0 (local.get $score)))
        (v128.store (local.get $gradHess)
          (call $logisticPairs (local.get $score) (v128.load64_splat (local.get $targets)))))))
)
