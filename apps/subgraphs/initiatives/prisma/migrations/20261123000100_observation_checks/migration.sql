-- Observation periods are 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD/YYYY-MM-DD'; an undated one must say what it is.
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_period_format_check"
  CHECK ("period" IS NULL OR "period" ~ '^\d{4}(-(0[1-9]|1[0-2]))?$' OR "period" ~ '^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$');
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_period_or_label_check"
  CHECK ("period" IS NOT NULL OR "label" IS NOT NULL);
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_value_finite_check"
  CHECK ("value" <> 'NaN'::double precision AND "value" <> 'Infinity'::double precision AND "value" <> '-Infinity'::double precision);
