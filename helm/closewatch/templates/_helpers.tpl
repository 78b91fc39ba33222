{{/*
Expand the name of the chart.
*/}}
{{- define "closewatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name, truncated to 63 characters (DNS label limit).
If the release name already contains the chart name it is used as the full name.
*/}}
{{- define "closewatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version as used by the helm.sh/chart label.
*/}}
{{- define "closewatch.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels, carried by every object.
*/}}
{{- define "closewatch.labels" -}}
helm.sh/chart: {{ include "closewatch.chart" . }}
{{ include "closewatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: closewatch
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels: name and instance only, never anything that changes on upgrade.
*/}}
{{- define "closewatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "closewatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the service account to use.
*/}}
{{- define "closewatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "closewatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Container image reference; the tag defaults to the chart's appVersion.
*/}}
{{- define "closewatch.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end }}

{{/*
Prometheus job label the alert rules select on. The ServiceMonitor sets job from the Service's
app.kubernetes.io/name label, so by default this is the chart name.
*/}}
{{- define "closewatch.prometheusJob" -}}
{{- .Values.prometheusRule.job | default (include "closewatch.name" .) -}}
{{- end }}

{{/*
Namespace for the dashboard ConfigMap (Grafana's sidecar may watch a different namespace).
*/}}
{{- define "closewatch.dashboardNamespace" -}}
{{- .Values.dashboard.namespace | default .Release.Namespace -}}
{{- end }}

{{/*
The rendered application.yaml: the closewatch block as given, plus extra Spring configuration.
The upstreams are not in it: they are a watched file of their own (closewatch.upstreamsYaml),
which closewatch.upstream-files names.
*/}}
{{- define "closewatch.applicationYaml" -}}
{{- $closewatch := dict -}}
{{- range $key, $value := .Values.closewatch }}
{{- /* empty maps and strings are left out: Spring would bind them as "" and fail */ -}}
{{- if and (ne $key "upstreams") (or $value (kindIs "float64" $value) (kindIs "int64" $value) (kindIs "bool" $value)) }}
{{- $_ := set $closewatch $key $value }}
{{- end }}
{{- end }}
{{- $_ := set $closewatch "upstream-files" (list (printf "%s/*.yaml" (include "closewatch.upstreamsDir" .))) -}}
{{- $config := dict "closewatch" $closewatch -}}
{{- with .Values.extraConfig }}
{{- $config = mergeOverwrite (deepCopy .) $config -}}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
The close-event history store: closewatch.history.store, sqlite (the service's default) when unset.
*/}}
{{- define "closewatch.historyStore" -}}
{{- (.Values.closewatch.history | default dict).store | default "sqlite" -}}
{{- end }}

{{/*
"true" when the SQLite history lives on a PersistentVolumeClaim (created or persistence.existingClaim).
*/}}
{{- define "closewatch.historyOnClaim" -}}
{{- if and (eq (include "closewatch.historyStore" .) "sqlite") .Values.persistence.enabled -}}
true
{{- end -}}
{{- end }}

{{/*
Name of the history's PersistentVolumeClaim.
*/}}
{{- define "closewatch.claimName" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "closewatch.fullname" .)) -}}
{{- end }}

{{/*
JDBC URL of the PostgreSQL history: jdbc:postgresql://host:port/database?key=value&... (keys sorted,
URL-encoded; an IPv6 address in brackets).
*/}}
{{- define "closewatch.postgresqlUrl" -}}
{{- $pg := .Values.postgresql -}}
{{- $host := $pg.host -}}
{{- if and (contains ":" $host) (not (hasPrefix "[" $host)) -}}
{{- $host = printf "[%s]" $host -}}
{{- end -}}
{{- $params := list -}}
{{- range $key, $value := $pg.parameters -}}
{{- $params = append $params (printf "%s=%s" (urlquery $key) (urlquery (toString $value))) -}}
{{- end -}}
{{- printf "jdbc:postgresql://%s:%d/%s" $host (int $pg.port) $pg.database -}}
{{- with $params }}?{{ join "&" . }}{{ end -}}
{{- end }}

{{/*
Combinations of values the schema cannot reject, failed with a message that names the values.
*/}}
{{- define "closewatch.validateValues" -}}
{{- if eq (include "closewatch.historyStore" .) "postgresql" -}}
{{- $missing := list -}}
{{- range $key := list "host" "database" "username" "existingSecret" "existingSecretPasswordKey" -}}
{{- if not (get $.Values.postgresql $key) -}}
{{- $missing = append $missing (printf "postgresql.%s" $key) -}}
{{- end -}}
{{- end -}}
{{- with $missing -}}
{{- fail (printf "closewatch.history.store is postgresql, so set %s (the password is read only from the existing Secret named by postgresql.existingSecret, key postgresql.existingSecretPasswordKey)" (join ", " .)) -}}
{{- end -}}
{{- end -}}
{{- if and (include "closewatch.clusterEnabled" .) (ne (include "closewatch.historyStore" .) "postgresql") -}}
{{- fail (printf "closewatch.cluster.enabled is true but closewatch.history.store is %s: the replicas share their leases and history through PostgreSQL; set closewatch.history.store=postgresql and the postgresql values" (include "closewatch.historyStore" .)) -}}
{{- end -}}
{{- if and (include "closewatch.historyOnClaim" .) (gt (int .Values.replicaCount) 1) -}}
{{- fail (printf "replicaCount is %d but the SQLite history on a PersistentVolumeClaim allows one pod (one writer of the file); set closewatch.history.store=postgresql for several replicas, or persistence.enabled=false to give each pod its own history on an emptyDir (lost with the pod)" (int .Values.replicaCount)) -}}
{{- end -}}
{{- end }}

{{/*
Where the upstreams ConfigMap is mounted, as a directory: kubelet then swaps its ..data symlink on
every change and closewatch applies it without a restart (a subPath mount would never change).
*/}}
{{- define "closewatch.upstreamsDir" -}}
/etc/closewatch/upstreams
{{- end }}

{{/*
The upstreams file: closewatch.upstreams as a map from name to settings; "{}" when there are none,
so that removing the last upstream empties the file (a file that disappears keeps its upstreams).
*/}}
{{- define "closewatch.upstreamsYaml" -}}
{{- with .Values.closewatch.upstreams }}
{{- toYaml . }}
{{- else -}}
{}
{{- end }}
{{- end }}

{{/*
"true" when the replicas share the upstreams (closewatch.cluster.enabled), else empty.
*/}}
{{- define "closewatch.clusterEnabled" -}}
{{- if and .Values.closewatch.cluster .Values.closewatch.cluster.enabled -}}true{{- end -}}
{{- end }}
