DROP TRIGGER answers_search_insert ON answers;
DROP FUNCTION answers_search_insert();
DROP TRIGGER answers_search_refresh ON answers;
CREATE TRIGGER answers_search_refresh AFTER INSERT OR DELETE OR UPDATE OF body, deleted_at, published_at
    ON answers FOR EACH ROW EXECUTE FUNCTION answers_search_refresh();
