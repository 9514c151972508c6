/**
 * Alertmanager configuration for Bookbuddy (MON-3, LOG-2): severity routing and inhibition.
 *
 * Pure TypeScript: no Pulumi resources. The monitoring component passes the object to kube-prometheus-stack
 * (`alertmanager.config`); the tests write it to a file and prove it with `amtool check-config`,
 * `amtool config routes test` and a real Alertmanager.
 *
 * Routing (docs/observability.md):
 * - critical: pages on-call through PagerDuty, and is copied to the team channel;
 * - high: reaches the team channel within minutes (well inside the 1-hour response of the seeds), repeated hourly while firing;
 * - warning: collected per namespace into a daily-review email, at most once a day;
 * - Watchdog: the chart's always-firing heartbeat goes to a dead man's switch; InfoInhibitor goes nowhere.
 * No secret value is ever in the config: the PagerDuty routing key, the Slack webhook URL, the SMTP password
 * and the heartbeat token are read from files that the pod mounts from a Kubernetes Secret, which External
 * Secrets fills from Secrets Manager (SEC-1, SEC-2).
 */

/** Daily review mailbox for warnings (MON-3, LOG-2 WARN). */
export interface DailyReviewEmail {
    /** Recipient of the daily review, e.g. the team's review list. Required. */
    to: string;
    /** Sender address, verified in SES. Required. */
    from: string;
    /** SMTP relay host:port (submission with STARTTLS), e.g. email-smtp.eu-west-1.amazonaws.com:587. Required. */
    smarthost: string;
}

/** Dead man's switch that expects the chart's Watchdog alert every few minutes. */
export interface Heartbeat {
    /** Endpoint that receives the Watchdog pings (no secret in the URL). Required. */
    url: string;
}

/** Options of `alertmanagerConfig` (MON-3). */
export interface AlertmanagerOptions {
    /** Directory where the Alertmanager pod mounts the receivers' Secret. Default "/etc/alertmanager/secrets/alertmanager-receivers" (kube-prometheus-stack mounts each `alertmanagerSpec.secrets` entry at /etc/alertmanager/secrets/<name>). */
    secretsDir?: string;
    /** Slack channel of the team (high and critical). Default "#bookbuddy-alerts". */
    teamChannel?: string;
    /** Daily review mailbox for warnings. Required. */
    dailyReview: DailyReviewEmail;
    /** Dead man's switch for the Watchdog heartbeat; without it the Watchdog is dropped. Default none. */
    heartbeat?: Heartbeat;
}

/** File names inside the receivers' Secret; External Secrets writes one key each (SEC-2). */
export const receiverSecretKeys = {
    pagerDutyRoutingKey: "pagerduty-routing-key",
    slackWebhookUrl: "slack-webhook-url",
    smtpPassword: "smtp-password",
    heartbeatToken: "heartbeat-token",
} as const;

/** Property of the receivers' Secrets Manager entry holding the SES SMTP user name (the SMTP credentials' key id). */
export const SMTP_USERNAME_PROPERTY = "smtp-username";

/** The one template action of the configuration: External Secrets replaces it with the SMTP key id (SEC-2). */
export const SMTP_USERNAME_TEMPLATE = "{{ .smtpUsername }}";

/**
 * The configuration as an External Secrets template (Go text/template): every `{{`/`}}` of Alertmanager's own
 * templates is emitted literally, only the SMTP user name is filled in from the secret.
 */
export function alertmanagerConfigTemplate(yamlText: string): string {
    return yamlText
        .split(SMTP_USERNAME_TEMPLATE)
        .map((part) => part.replace(/\{\{|\}\}/g, (m) => (m === "{{" ? '{{ "{{" }}' : '{{ "}}" }}')))
        .join(SMTP_USERNAME_TEMPLATE);
}

/** Receiver names, as `amtool config routes test` prints them. */
export const receivers = {
    pager: "oncall-pager",
    team: "team-channel",
    dailyReview: "daily-review",
    heartbeat: "heartbeat",
    none: "null",
} as const;

/** Timing of the severity routes (MON-3); the tests prove these against the 1-hour team response. */
export const routeTiming = {
    critical: { group_wait: "10s", group_interval: "5m", repeat_interval: "1h" },
    high: { group_wait: "30s", group_interval: "5m", repeat_interval: "1h" },
    warning: { group_wait: "10m", group_interval: "24h", repeat_interval: "24h" },
} as const;

/** A route of the Alertmanager routing tree. */
export interface AlertmanagerRoute {
    receiver: string;
    matchers?: string[];
    group_by?: string[];
    group_wait?: string;
    group_interval?: string;
    repeat_interval?: string;
    continue?: boolean;
    routes?: AlertmanagerRoute[];
}

/** An inhibition rule. */
export interface InhibitRule {
    source_matchers: string[];
    target_matchers: string[];
    equal: string[];
}

/** The Alertmanager configuration file as an object (alertmanager.yml). */
export interface AlertmanagerConfig {
    global: Record<string, unknown>;
    route: AlertmanagerRoute;
    inhibit_rules: InhibitRule[];
    receivers: Array<{ name: string; [kind: string]: unknown }>;
    templates: string[];
}

const SLACK_TITLE =
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})';
const SLACK_TEXT =
    "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}";

function required(value: string | undefined, name: string): string {
    if (typeof value !== "string" || value.trim() === "") {
        throw new Error(`alertmanager option ${name} is required`);
    }
    return value;
}

/**
 * The Alertmanager configuration (MON-3, LOG-2): critical pages on-call, high reaches the team channel,
 * warning goes to the daily review; a critical alert silences its lower-severity twin.
 */
export function alertmanagerConfig(options: AlertmanagerOptions): AlertmanagerConfig {
    const dir = (options.secretsDir ?? "/etc/alertmanager/secrets/alertmanager-receivers").replace(/\/+$/, "");
    if (!dir.startsWith("/")) {
        throw new Error(`alertmanager option secretsDir must be an absolute path, got ${JSON.stringify(dir)}`);
    }
    const review = options.dailyReview;
    if (!review) {
        throw new Error("alertmanager option dailyReview is required");
    }
    const smarthost = required(review.smarthost, "dailyReview.smarthost");
    if (!/^[^\s:]+:[0-9]+$/.test(smarthost)) {
        throw new Error(`alertmanager option dailyReview.smarthost must be host:port, got ${JSON.stringify(smarthost)}`);
    }
    if (options.heartbeat && !/^https:\/\//.test(options.heartbeat.url)) {
        throw new Error(`alertmanager option heartbeat.url must be an https URL, got ${JSON.stringify(options.heartbeat.url)}`);
    }
    const file = (key: string) => `${dir}/${key}`;

    const route: AlertmanagerRoute = {
        receiver: receivers.team,
        group_by: ["alertname", "namespace"],
        ...routeTiming.high,
        routes: [
            {
                receiver: options.heartbeat ? receivers.heartbeat : receivers.none,
                matchers: ['alertname="Watchdog"'],
                group_wait: "0s",
                group_interval: "1m",
                repeat_interval: "5m",
            },
            { receiver: receivers.none, matchers: ['alertname="InfoInhibitor"'] },
            { receiver: receivers.pager, matchers: ['severity="critical"'], ...routeTiming.critical, continue: true },
            { receiver: receivers.team, matchers: ['severity=~"critical|high"'], ...routeTiming.high },
            {
                receiver: receivers.dailyReview,
                matchers: ['severity="warning"'],
                group_by: ["namespace"],
                ...routeTiming.warning,
            },
            // The chart's info alerts only feed InfoInhibitor and dashboards.
            { receiver: receivers.none, matchers: ['severity="info"'] },
        ],
    };

    const inhibit_rules: InhibitRule[] = [
        // A critical alert silences its lower-severity twin (same twin label, same object), e.g. memory 85% over 80%.
        {
            source_matchers: ['severity="critical"', 'twin=~".+"'],
            target_matchers: ['severity=~"high|warning"', 'twin=~".+"'],
            equal: ["twin", "namespace", "instance", "pod", "container"],
        },
        // The chart's own rules pair severities under one alert name.
        {
            source_matchers: ['severity="critical"'],
            target_matchers: ['severity=~"warning|info"'],
            equal: ["namespace", "alertname"],
        },
        { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: ["namespace", "alertname"] },
        { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ["namespace"] },
    ];

    const config: AlertmanagerConfig = {
        global: { resolve_timeout: "5m", smtp_require_tls: true },
        route,
        inhibit_rules,
        receivers: [
            { name: receivers.none },
            {
                name: receivers.pager,
                pagerduty_configs: [
                    {
                        routing_key_file: file(receiverSecretKeys.pagerDutyRoutingKey),
                        send_resolved: true,
                        severity: "critical",
                        description: "{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}",
                        details: {
                            firing: "{{ range .Alerts.Firing }}{{ .Annotations.description }} {{ end }}",
                            runbook: "{{ .CommonAnnotations.runbook_url }}",
                            namespace: "{{ .CommonLabels.namespace }}",
                        },
                    },
                ],
            },
            {
                name: receivers.team,
                slack_configs: [
                    {
                        api_url_file: file(receiverSecretKeys.slackWebhookUrl),
                        channel: options.teamChannel ?? "#bookbuddy-alerts",
                        send_resolved: true,
                        title: SLACK_TITLE,
                        text: SLACK_TEXT,
                    },
                ],
            },
            {
                name: receivers.dailyReview,
                email_configs: [
                    {
                        to: required(review.to, "dailyReview.to"),
                        from: required(review.from, "dailyReview.from"),
                        smarthost,
                        // SES SMTP logs in with the SMTP credentials' key id, a secret: External Secrets fills it in when
                        // it renders the configuration Secret (Alertmanager has no auth_username_file) (MON-3, SEC-2).
                        auth_username: SMTP_USERNAME_TEMPLATE,
                        auth_password_file: file(receiverSecretKeys.smtpPassword),
                        require_tls: true,
                        send_resolved: false,
                        headers: {
                            Subject:
                                "[Bookbuddy daily review] {{ .Alerts.Firing | len }} warnings in {{ .CommonLabels.namespace }}",
                        },
                    },
                ],
            },
            ...(options.heartbeat
                ? [
                      {
                          name: receivers.heartbeat,
                          webhook_configs: [
                              {
                                  url: options.heartbeat.url,
                                  send_resolved: false,
                                  http_config: {
                                      authorization: {
                                          type: "Bearer",
                                          credentials_file: file(receiverSecretKeys.heartbeatToken),
                                      },
                                  },
                              },
                          ],
                      },
                  ]
                : []),
        ],
        templates: [],
    };
    return config;
}
