CREATE TABLE project_metrics (
    project_id BIGINT NOT NULL,
    at DATE NOT NULL,
    components INT,
    PRIMARY KEY (project_id, at)
) PARTITION BY RANGE (at);
CREATE TABLE project_metrics_2023 PARTITION OF project_metrics FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE project_metrics_2024 PARTITION OF project_metrics FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
