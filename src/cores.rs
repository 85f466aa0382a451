//! Work shared between the machine's cores: natively, a large import is read in parts and a
//! report's two halves are made at once; in a browser there is one thread, and the same calls
//! run one after the other.

use std::sync::OnceLock;

/// Threads this machine lends to the work at hand: one in a browser, where
/// `available_parallelism` is an error. Asked once: on Linux the answer reads the process's
/// CPU affinity and cgroup quota, and every report asks.
pub fn threads_here() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// Runs `first` and `second` and gives both results: on two threads when the machine has two
/// cores, else one after the other.
pub fn both<A: Send, B: Send>(
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B + Send,
) -> (A, B) {
    if threads_here() < 2 {
        return (first(), second());
    }
    std::thread::scope(|scope| {
        let second = scope.spawn(second);
        let first = first();
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_in_order() {
        assert_eq!(both(|| 1 + 1, || "two"), (2, "two"));
    }
}
