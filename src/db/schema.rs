//! The one diesel schema, in SQL types both backends share (BigInt ids, Text, Bool, Timestamp in UTC).

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        username_key -> Text,
        email -> Text,
        email_key -> Text,
        email_verified_at -> Nullable<Timestamp>,
        password_hash -> Nullable<Text>,
        role -> Text,
        display_name -> Nullable<Text>,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        reputation -> BigInt,
        contributor_override -> Nullable<Bool>,
        bio -> Text,
        bio_html -> Text,
        location -> Nullable<Text>,
        website -> Nullable<Text>,
        flair_badge_id -> Nullable<BigInt>,
        avatar_version -> BigInt,
    }
}

diesel::table! {
    content_generation (id) {
        id -> Integer,
        value -> BigInt,
    }
}

diesel::table! {
    settings_version (id) {
        id -> Integer,
        value -> BigInt,
    }
}

diesel::table! {
    user_avatars (user_id) {
        user_id -> BigInt,
        png -> Binary,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reputation_events (id) {
        id -> BigInt,
        user_id -> BigInt,
        amount -> Integer,
        reason -> Text,
        post_kind -> Text,
        post_id -> BigInt,
        question_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_permissions (user_id, permission) {
        user_id -> BigInt,
        permission -> Text,
        allowed -> Bool,
        granted_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    suspensions (id) {
        id -> BigInt,
        user_id -> BigInt,
        reason -> Text,
        ends_at -> Timestamp,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        lifted_at -> Nullable<Timestamp>,
        lifted_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        remember -> Bool,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    user_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        new_email -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        scope -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    badges (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        tier -> Text,
        description -> Text,
        repeatable -> Bool,
        manual -> Bool,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    badge_awards (id) {
        id -> BigInt,
        badge_id -> BigInt,
        user_id -> BigInt,
        post_id -> BigInt,
        question_id -> Nullable<BigInt>,
        awarded_by -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_active_days (user_id, day) {
        user_id -> BigInt,
        day -> Date,
    }
}

diesel::table! {
    user_active_slots (user_id, slot) {
        user_id -> BigInt,
        slot -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        title -> Text,
        link -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> BigInt,
        dedupe_key -> Text,
        to_addr -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        name -> Text,
        slug -> Text,
        description -> Text,
        description_html -> Text,
        position -> Integer,
        group_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        description_html -> Text,
        question_count -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        author_id -> BigInt,
        category_id -> BigInt,
        title -> Text,
        body -> Text,
        body_html -> Text,
        score -> Integer,
        answer_count -> Integer,
        comment_count -> Integer,
        accepted_answer_id -> Nullable<BigInt>,
        accepted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<BigInt>,
        first_response_at -> Nullable<Timestamp>,
        last_activity_at -> Timestamp,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        updated_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
        closed_by -> Nullable<BigInt>,
        close_reason -> Nullable<Text>,
        duplicate_of_id -> Nullable<BigInt>,
        locked_at -> Nullable<Timestamp>,
        locked_by -> Nullable<BigInt>,
        ack_status -> Nullable<Text>,
        ack_at -> Nullable<Timestamp>,
        turns_answered -> Integer,
        turn_wait_minutes -> Double,
        messages_at_acceptance -> Nullable<Integer>,
        accepted_author_id -> Nullable<BigInt>,
        /// The body's rendered plain text, which search indexes (`markdown::plain_text`).
        body_text -> Text,
    }
}

diesel::table! {
    /// Counted views, apart from the wide, much-indexed question row (migration 17 says why).
    question_views (question_id) {
        question_id -> BigInt,
        view_count -> BigInt,
    }
}

diesel::table! {
    answers (id) {
        id -> BigInt,
        question_id -> BigInt,
        author_id -> BigInt,
        body -> Text,
        body_html -> Text,
        score -> Integer,
        official -> Bool,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        updated_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<BigInt>,
        /// The body's rendered plain text, which search indexes (`markdown::plain_text`).
        body_text -> Text,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        question_id -> BigInt,
        answer_id -> Nullable<BigInt>,
        author_id -> BigInt,
        body -> Text,
        body_html -> Text,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        deleted_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    question_tags (question_id, tag_id) {
        question_id -> BigInt,
        tag_id -> BigInt,
    }
}

diesel::table! {
    votes (id) {
        id -> BigInt,
        user_id -> BigInt,
        post_kind -> Text,
        post_id -> BigInt,
        value -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    follows (user_id, question_id) {
        user_id -> BigInt,
        question_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    revisions (id) {
        id -> BigInt,
        post_kind -> Text,
        post_id -> BigInt,
        editor_id -> BigInt,
        title -> Nullable<Text>,
        body -> Text,
        tags -> Nullable<Text>,
        summary -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    beta_groups (id) {
        id -> BigInt,
        name -> Text,
        slug -> Text,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    beta_group_members (group_id, user_id) {
        group_id -> BigInt,
        user_id -> BigInt,
        joined_at -> Timestamp,
    }
}

diesel::table! {
    surveys (id) {
        id -> BigInt,
        question_id -> BigInt,
        user_id -> BigInt,
        resolved -> Bool,
        nps -> Nullable<Integer>,
        comment -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(reputation_events -> questions (question_id));
diesel::joinable!(badge_awards -> badges (badge_id));
diesel::joinable!(surveys -> questions (question_id));
diesel::joinable!(badge_awards -> users (user_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(suspensions -> users (user_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(questions -> categories (category_id));
diesel::joinable!(questions -> users (author_id));
diesel::joinable!(answers -> users (author_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(answers -> questions (question_id));
diesel::joinable!(question_tags -> questions (question_id));
diesel::joinable!(question_tags -> tags (tag_id));
diesel::joinable!(question_views -> questions (question_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    user_permissions,
    suspensions,
    sessions,
    user_tokens,
    api_tokens,
    reputation_events,
    user_avatars,
    badges,
    badge_awards,
    user_active_days,
    user_active_slots,
    notifications,
    audit_log,
    email_outbox,
    settings,
    settings_version,
    categories,
    tags,
    questions,
    question_views,
    answers,
    comments,
    question_tags,
    votes,
    follows,
    revisions,
    beta_groups,
    beta_group_members,
    surveys,
);
