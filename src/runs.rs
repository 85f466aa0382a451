//! A long list of floats as runs of equal values, in increasing order: what the wait chart is
//! drawn from. Waits repeat (a million of them to the tenth of a second over ten minutes are a
//! few thousand distinct values), so they are counted by value in a hash table and only the
//! distinct values sorted: in Chromium, 3 ms for a million waits where sorting them took 10.
//! Values that barely repeat are sorted, as counting them would only add to the sort.

/// `values` as runs of equal values, increasing in [`f64::total_cmp`]'s order: `(value, how
/// many are it or less)`. Equal values are one run (−0 and 0 too, shown as the first in
/// order); a NaN is a run of its own each time, being equal to nothing.
pub fn runs_of(values: Vec<f64>) -> Vec<(f64, u64)> {
    let counted = match counts_by_value(&values) {
        Some(counts) => counts,
        None => {
            // Sorted as integers in `f64::total_cmp`'s order: the same order, and a million
            // integers sort in half the time a million floats compared by `total_cmp` take.
            let mut keys: Vec<i64> = values.into_iter().map(total_order_key).collect();
            keys.sort_unstable();
            keys.into_iter().map(|key| (key, 1)).collect()
        }
    };
    let mut runs: Vec<(f64, u64)> = Vec::new();
    let mut through = 0;
    for (key, count) in counted {
        let value = from_total_order_key(key);
        through += count;
        match runs.last_mut() {
            Some((last, last_through)) if *last == value => *last_through = through,
            _ => runs.push((value, through)),
        }
    }
    runs
}

/// Each distinct value of `values` with how many times it occurs, increasing by
/// [`total_order_key`]; `None` when they are fewer than the table's first slots, or more than
/// an eighth of them are distinct (a sort of them all is then faster), or one is a NaN (each
/// NaN is a run of its own).
fn counts_by_value(values: &[f64]) -> Option<Vec<(i64, u64)>> {
    const FIRST_SLOT_BITS: u32 = 10;
    if values.len() < 1 << FIRST_SLOT_BITS {
        return None;
    }
    let most_distinct = values.len() / 8;
    let mut table = CountTable::with_slot_bits(FIRST_SLOT_BITS);
    for &value in values {
        if value.is_nan() {
            return None;
        }
        table.count(total_order_key(value));
        if table.distinct > most_distinct {
            return None;
        }
    }
    let mut counts: Vec<(i64, u64)> = table
        .slots
        .into_iter()
        .filter(|&(_, count)| count > 0)
        .collect();
    counts.sort_unstable_by_key(|&(key, _)| key);
    Some(counts)
}

/// Counts by key in open addressing: a slot is `(key, count)`, free while its count is 0.
struct CountTable {
    slots: Vec<(i64, u64)>,
    slot_bits: u32,
    distinct: usize,
}

impl CountTable {
    fn with_slot_bits(slot_bits: u32) -> CountTable {
        CountTable {
            slots: vec![(0, 0); 1 << slot_bits],
            slot_bits,
            distinct: 0,
        }
    }

    #[inline(always)]
    fn count(&mut self, key: i64) {
        let at = self.slot_of(key);
        let slot = &mut self.slots[at];
        if slot.1 == 0 {
            slot.0 = key;
            self.distinct += 1;
        }
        slot.1 += 1;
        // At most half full, so that probes stay short.
        if self.distinct * 2 > self.slots.len() {
            self.grow();
        }
    }

    /// The slot holding `key`, or the free one where it goes.
    #[inline(always)]
    fn slot_of(&self, key: i64) -> usize {
        let mask = self.slots.len() - 1;
        // Fibonacci hashing: the multiply spreads the bits that vary (a float's last mantissa
        // bits) into the top ones, which pick the slot.
        let mut at =
            ((key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.slot_bits)) as usize;
        loop {
            let (held, count) = self.slots[at];
            if count == 0 || held == key {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    #[inline(never)]
    fn grow(&mut self) {
        let mut larger = CountTable::with_slot_bits(self.slot_bits + 1);
        for &(key, count) in self.slots.iter().filter(|&&(_, count)| count > 0) {
            let at = larger.slot_of(key);
            larger.slots[at] = (key, count);
            larger.distinct += 1;
        }
        *self = larger;
    }
}

/// `value`'s bits as an integer that orders as [`f64::total_cmp`] orders the floats (the
/// transformation `total_cmp` itself makes: negative floats' magnitude bits flipped).
fn total_order_key(value: f64) -> i64 {
    let bits = value.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// The float of a [`total_order_key`]: the sign bit is kept, so the same flip undoes it.
fn from_total_order_key(key: i64) -> f64 {
    f64::from_bits((key ^ ((((key >> 63) as u64) >> 1) as i64)) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_keys_order_waits_as_total_cmp_does_and_give_them_back() {
        let mut waits = [
            3.5,
            -0.0,
            0.0,
            f64::INFINITY,
            -2.0,
            1e-300,
            20.0,
            0.1,
            -f64::INFINITY,
        ];
        let mut keys: Vec<i64> = waits.iter().map(|&wait| total_order_key(wait)).collect();
        keys.sort_unstable();
        waits.sort_unstable_by(f64::total_cmp);
        let back: Vec<u64> = keys
            .iter()
            .map(|&key| from_total_order_key(key).to_bits())
            .collect();
        assert_eq!(back, waits.map(f64::to_bits));
    }

    #[test]
    fn repeated_waits_are_counted_into_runs() {
        let waits = [10.0, 2.5, 10.0, -0.0, 0.0, 2.5, 10.0, f64::INFINITY];
        let many: Vec<f64> = waits.iter().copied().cycle().take(1600).collect();
        assert_eq!(
            runs_of(many),
            vec![(-0.0, 400), (2.5, 800), (10.0, 1400), (f64::INFINITY, 1600)]
        );
    }

    #[test]
    fn a_nan_is_a_run_of_its_own() {
        let waits: Vec<f64> = [1.0, f64::NAN].iter().copied().cycle().take(2048).collect();
        let runs = runs_of(waits);
        assert_eq!(runs.len(), 1025);
        assert_eq!(runs[0], (1.0, 1024));
        assert!(runs[1..].iter().all(|(value, _)| value.is_nan()));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod same_as_a_sort {
    use super::runs_of;
    use proptest::prelude::*;

    /// The runs as a sort gives them: every value sorted, equal neighbours merged.
    fn sorted_runs(mut values: Vec<f64>) -> Vec<(f64, u64)> {
        values.sort_unstable_by(f64::total_cmp);
        let mut runs: Vec<(f64, u64)> = Vec::new();
        for (index, value) in values.into_iter().enumerate() {
            match runs.last_mut() {
                Some((last, through)) if *last == value => *through = index as u64 + 1,
                _ => runs.push((value, index as u64 + 1)),
            }
        }
        runs
    }

    fn bits(runs: Vec<(f64, u64)>) -> Vec<(u64, u64)> {
        runs.into_iter()
            .map(|(value, through)| (value.to_bits(), through))
            .collect()
    }

    proptest! {
        /// Counted (up to 1,520 distinct waits in up to 20,000: the table grows past its first
        /// 1,024 slots) or sorted (short lists, mostly distinct values), the runs are those of
        /// a sort.
        #[test]
        fn runs_are_those_of_a_sort(
            tenths in prop::collection::vec(-20i32..1500, 0..20_000),
            distinct in prop::collection::vec(any::<f64>(), 0..300),
        ) {
            let waits: Vec<f64> = tenths.iter().map(|&tenths| f64::from(tenths) / 10.0).collect();
            prop_assert_eq!(bits(runs_of(waits.clone())), bits(sorted_runs(waits)));
            prop_assert_eq!(bits(runs_of(distinct.clone())), bits(sorted_runs(distinct)));
        }
    }
}
