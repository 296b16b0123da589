//! Per-field validation messages, shown beside the form fields they belong to: the error a
//! form's write returns when its input is refused (nothing written).

/// Messages keyed by form field name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// One error.
    pub fn one(field: &'static str, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, message);
        e
    }

    /// Adds a message for `field` (the first one per field is kept).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    /// The message for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All messages in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(f, m)| (*f, m.as_str()))
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    /// The messages in order, joined by spaces.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self.iter().map(|(_, m)| m).collect();
        f.write_str(&messages.join(" "))
    }
}

/// One value refused by a check that does not know which field it came from (a username, a tag,
/// a day's hours); the caller files it under its field. The message is safe to show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Rejected(pub String);

impl Rejected {
    /// A refusal with this message.
    pub fn because(message: impl Into<String>) -> Self {
        Rejected(message.into())
    }
}

impl From<&str> for Rejected {
    fn from(message: &str) -> Self {
        Rejected(message.to_owned())
    }
}

impl From<String> for Rejected {
    fn from(message: String) -> Self {
        Rejected(message)
    }
}

impl From<Rejected> for String {
    fn from(r: Rejected) -> String {
        r.0
    }
}
