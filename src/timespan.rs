//! Half-open spans of time `[start, end)` and the set arithmetic that business hours,
//! exclusions and availability need: merge, intersect, subtract, measure.

use chrono::{DateTime, Utc};

/// The instants from `start` (included) to `end` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Span {
        Span { start, end }
    }

    pub fn contains(&self, instant: DateTime<Utc>) -> bool {
        self.start <= instant && instant < self.end
    }

    /// Length in seconds, with millisecond precision.
    pub fn seconds(&self) -> f64 {
        (self.end - self.start).num_milliseconds().max(0) as f64 / 1000.0
    }
}

/// Sorted, non-overlapping, non-empty spans: the form the other functions expect.
pub fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|span| span.start < span.end);
    spans.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// The instants in both `a` and `b` (each merged).
pub fn intersect(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut both = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if start < end {
            both.push(Span { start, end });
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    both
}

/// The instants in `a` but not in `b` (each merged).
pub fn subtract(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut rest = Vec::new();
    for span in a {
        let mut start = span.start;
        for hole in b {
            if hole.end <= start || hole.start >= span.end {
                continue;
            }
            if hole.start > start {
                rest.push(Span::new(start, hole.start));
            }
            start = start.max(hole.end);
        }
        if start < span.end {
            rest.push(Span::new(start, span.end));
        }
    }
    rest
}

/// Total length in seconds of merged spans.
pub fn total_seconds(spans: &[Span]) -> f64 {
    spans.iter().map(Span::seconds).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn span(from_hour: u32, to_hour: u32) -> Span {
        let at = |hour| Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap();
        Span::new(at(from_hour), at(to_hour))
    }

    #[test]
    fn merge_joins_overlaps_and_drops_empty_spans() {
        assert_eq!(
            merge(vec![span(9, 12), span(5, 5), span(11, 14), span(1, 2)]),
            vec![span(1, 2), span(9, 14)]
        );
    }

    #[test]
    fn intersect_and_subtract_are_set_operations() {
        let open = [span(8, 12), span(13, 18)];
        let outage = [span(11, 14)];
        assert_eq!(intersect(&open, &outage), vec![span(11, 12), span(13, 14)]);
        assert_eq!(subtract(&open, &outage), vec![span(8, 11), span(14, 18)]);
        assert_eq!(total_seconds(&subtract(&open, &outage)), 7.0 * 3600.0);
    }
}
