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
*/}}
{{- define "closewatch.applicationYaml" -}}
{{- $closewatch := dict -}}
{{- range $key, $value := .Values.closewatch }}
{{- /* empty maps and strings are left out: Spring would bind them as "" and fail */ -}}
{{- if or $value (kindIs "float64" $value) (kindIs "int64" $value) (kindIs "bool" $value) }}
{{- $_ := set $closewatch $key $value }}
{{- end }}
{{- end }}
{{- $config := dict "closewatch" $closewatch -}}
{{- with .Values.extraConfig }}
{{- $config = mergeOverwrite (deepCopy .) $config -}}
{{- end }}
{{- toYaml $config }}
{{- end }}
