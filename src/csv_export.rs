//! CSV downloads (KPI tables, the KPI command, the audit log): one writer, and one rule for text
//! a spreadsheet would run as a formula.

use crate::error::{AppError, AppResult};

/// Text that cannot run as a spreadsheet formula: a cell starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading `'` (so `=HYPERLINK(..)` in a title stays text). Numbers
/// are written as they are, not through here (a negative NPS stays a number).
pub fn text(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// A CSV document being written, header first.
pub struct CsvWriter(csv::Writer<Vec<u8>>);

impl CsvWriter {
    /// A document with this header row.
    pub fn with_header(header: &[&str]) -> AppResult<Self> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).map_err(|e| AppError::caused("csv", e))?;
        Ok(CsvWriter(w))
    }

    /// One row, its cells as given (text from members through `text`).
    pub fn row<I, S>(&mut self, cells: I) -> AppResult<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        self.0.write_record(cells).map_err(|e| AppError::caused("csv", e))
    }

    /// The document.
    pub fn finish(self) -> AppResult<String> {
        let bytes = self.0.into_inner().map_err(|e| AppError::caused("csv", e))?;
        String::from_utf8(bytes).map_err(|e| AppError::caused("csv", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, out) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("plain", "plain"),
            ("", ""),
        ] {
            assert_eq!(text(cell), out);
        }
        let mut w = CsvWriter::with_header(&["name", "nps"]).unwrap();
        w.row([text("=cmd"), (-20).to_string()]).unwrap();
        assert_eq!(w.finish().unwrap(), "name,nps\n'=cmd,-20\n");
    }
}
