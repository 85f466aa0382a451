//! A large contact file read on every core: once its start has decided the layout, the file is
//! cut into parts at line ends and each part is read on a thread of its own; the parts are then
//! joined in order into one dataset, the same — contacts, labels, skipped rows and their line
//! numbers — as reading the file from start to end.
//!
//! A line end is not always a record's end: it may be inside a quoted cell. A part is therefore
//! read on the guess that it starts a record, and the guess is checked when the part before it
//! is done: that part must end between records. When it does not, the part's reading is thrown
//! away and its text is read again after the part before, as one stream would — slower, never
//! wrong. In a browser there is one thread ([`threads_here`]), and the file is read as one
//! stream.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::cores::threads_here;
use crate::error::SlaError;
use crate::input::{expected_contacts, ContactStream, Dataset, ImportOptions, PREFIX_BYTES};

/// Threads used at most, however many cores: past this, joining the parts and memory
/// bandwidth cost more than another part saves.
const MOST_THREADS: usize = 8;

/// Bytes read at a time: progress is told after each, every few tens of thousands of rows,
/// smooth for a bar and free for the reading.
const CHUNK: usize = 4 << 20;

/// How an input is shared between threads.
#[derive(Debug, Clone, Copy)]
pub struct Sharing {
    pub threads: usize,
    /// The start that decides the layout; a smaller input is read as one stream.
    pub prefix_bytes: usize,
    /// Parts smaller than this are not worth a thread.
    pub smallest_part: usize,
}

impl Sharing {
    /// The cores this machine lends to reading (one in a browser), parts of at least 4 MB —
    /// a few milliseconds of reading each.
    pub fn of_this_machine() -> Sharing {
        Sharing {
            threads: threads_here().min(MOST_THREADS),
            prefix_bytes: PREFIX_BYTES,
            smallest_part: 4 << 20,
        }
    }
}

/// Reads `bytes` as [`crate::input::read_contacts_with_progress`] does, in parts as `sharing`
/// says, telling `progress(bytes read, bytes in all)` as it goes.
pub fn read_in_parts(
    bytes: &[u8],
    options: &ImportOptions,
    sharing: Sharing,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Dataset, SlaError> {
    let total = bytes.len() as u64;
    let read = AtomicU64::new(0);
    let mut stream =
        ContactStream::with_prefix_bytes(options.clone(), sharing.prefix_bytes).expecting(total);
    // Told only when it moved on: the other threads' reading is counted in, and may be done.
    let mut told = 0;
    let mut tell = |read: u64| {
        if read > told {
            told = read;
            progress(read, total);
        }
    };
    let mut push = |stream: &mut ContactStream, text: &[u8]| -> Result<(), SlaError> {
        for chunk in text.chunks(CHUNK) {
            stream.push(chunk)?;
            read.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            tell(read.load(Ordering::Relaxed));
        }
        Ok(())
    };
    let starts = part_starts(bytes, sharing);
    let Some(&first_later) = starts.first() else {
        push(&mut stream, bytes)?;
        return stream.finish();
    };
    let prefix = &bytes[..sharing.prefix_bytes];
    stream.decide_layout(prefix)?;
    let ends = starts.iter().skip(1).copied().chain([bytes.len()]);
    let later: Vec<&[u8]> = starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| &bytes[start..end])
        .collect();
    let expected = |bytes: usize| expected_contacts(prefix, bytes as u64);
    stream.reserve(expected(bytes.len()));
    let readers: Option<Vec<_>> = later
        .iter()
        .map(|part| stream.later_part(expected(part.len())))
        .collect();
    let Some(readers) = readers else {
        // Not UTF-8: transcoded by this one stream, from the start.
        push(&mut stream, bytes)?;
        return stream.finish();
    };
    std::thread::scope(|scope| {
        let read = &read;
        let handles: Vec<_> = readers
            .into_iter()
            .zip(&later)
            .map(|(mut reader, part)| {
                scope.spawn(move || {
                    for chunk in part.chunks(CHUNK) {
                        reader.push(chunk);
                        read.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    }
                    reader
                })
            })
            .collect();
        push(&mut stream, &bytes[..first_later])?;
        stream.map_room_for((bytes.len() - first_later) as u64);
        for (handle, part) in handles.into_iter().zip(&later) {
            let reader = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if !stream.take_part(reader) {
                // The part began inside a quoted cell: its text is read again after the part
                // before, its progress (counted already) not counted twice.
                read.fetch_sub(part.len() as u64, Ordering::Relaxed);
                push(&mut stream, part)?;
            }
        }
        Ok::<(), SlaError>(())
    })?;
    tell(total);
    stream.finish()
}

/// Where the parts after the first begin: just past a line end near each equal share of the
/// input; none when the input is too small to share.
fn part_starts(bytes: &[u8], sharing: Sharing) -> Vec<usize> {
    if bytes.len() <= sharing.prefix_bytes {
        return Vec::new();
    }
    let threads = sharing
        .threads
        .min(bytes.len() / sharing.smallest_part.max(1));
    let mut starts: Vec<usize> = Vec::new();
    for part in 1..threads {
        let share = bytes.len() / threads * part;
        let from = share.max(starts.last().copied().unwrap_or(0));
        let Some(line_end) = memchr::memchr(b'\n', &bytes[from..]) else {
            break;
        };
        let start = from + line_end + 1;
        if start < bytes.len() {
            starts.push(start);
        }
    }
    starts
}
