//! A terms edit is mostly an edit of one thing: a goal, a label, the fee, one target's threshold.
//! The memo keeps the last report and its terms, so the next report carries over every target
//! the edit left as it was measured (judged again where only its goal moved) and measures the
//! others alone ([`build_report_after`](crate::report::build_report_after)), with the contacts
//! placed in time once per zone: a goal edit needs no pass over the data, a threshold edit a
//! pass for that one target.

use crate::report::{Earlier, Placement, Report};
use crate::suggest::History;
use crate::terms::Terms;

/// The last report made and the terms it was made under, and the dataset's places in time.
#[derive(Debug, Default)]
pub struct ReportMemo {
    last: Option<(Terms, Report)>,
    placement: Placement,
    targets_measured: usize,
}

impl ReportMemo {
    /// The report of `dataset` under `terms`, made after the last one where there is one. The
    /// memo belongs to one dataset: a new dataset takes a new memo.
    pub fn report<H: History>(&mut self, dataset: &H, terms: &Terms) -> Report {
        let earlier = self
            .last
            .as_ref()
            .map(|(terms, report)| Earlier { terms, report });
        let remade = dataset.report_after(terms, earlier, &mut self.placement);
        self.last = Some((terms.clone(), remade.report.clone()));
        self.targets_measured = remade.targets_measured;
        remade.report
    }

    /// The dataset's places in time, kept for reports made after the last one under other
    /// periods (the suggestions' weekly histories) and for the heat map's arrivals.
    pub fn placement(&mut self) -> &mut Placement {
        &mut self.placement
    }

    /// How many targets of the last report needed a pass over the data (the rest were carried
    /// over from the report before).
    pub fn targets_measured(&self) -> usize {
        self.targets_measured
    }
}
