local diff = {
	["keyDiffs"] = {
		["d3001pnilu3001cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "G",
					["reformers"] = {
						[1] = "LCtrl",
					},
				},
			},
			["name"] = "Landing Gear Handle - UP",
			["removed"] = {
				[1] = {
					["key"] = "G",
				},
			},
		},
		["d3002pnilu3002cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "G",
					["reformers"] = {
						[1] = "LShift",
					},
				},
			},
			["name"] = "Landing Gear Handle - DOWN",
		},
		["d3003pnilu3003cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "R",
					["reformers"] = {
						[1] = "RAlt",
					},
				},
			},
			["name"] = "Air Refueling Door",
		},
		["d3004pnilu3004cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "V",
				},
			},
			["name"] = "Flaps - Increase",
		},
		["d3005pnilu3005cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "F",
				},
			},
			["name"] = "Flaps - Decrease",
		},
		["d3006pnilu3006cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "B",
					["reformers"] = {
						[1] = "LShift",
					},
				},
			},
			["name"] = "Speed Brake - Open",
		},
		["d3007pnilu3007cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "B",
					["reformers"] = {
						[1] = "LCtrl",
					},
				},
			},
			["name"] = "Speed Brake - Close",
		},
		["d3008pnilu3008cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "P",
					["reformers"] = {
						[1] = "RCtrl",
						[2] = "RShift",
					},
				},
			},
			["name"] = "Parking Brake",
		},
		["d3009pnilu3009cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Num8",
					["reformers"] = {
						[1] = "RCtrl",
					},
				},
			},
			["name"] = "ICP - Data Control Switch: UP",
		},
		["d3010pnilu3010cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Num2",
					["reformers"] = {
						[1] = "RCtrl",
					},
				},
			},
			["name"] = "ICP - Data Control Switch: DOWN",
		},
		["d3011pnilu3011cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Num4",
					["reformers"] = {
						[1] = "RCtrl",
					},
				},
			},
			["name"] = "ICP - Data Control Switch: RTN",
		},
		["d3012pnilu3012cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Num6",
					["reformers"] = {
						[1] = "RCtrl",
					},
				},
			},
			["name"] = "ICP - Data Control Switch: SEQ",
		},
		["d3013pnilu3013cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "1",
					["reformers"] = {
						[1] = "LAlt",
					},
				},
			},
			["name"] = "ICP - Priority Function Button: COM1",
		},
		["d3014pnilu3014cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "2",
					["reformers"] = {
						[1] = "LAlt",
					},
				},
			},
			["name"] = "ICP - Priority Function Button: COM2",
		},
		["d3015pnilu3015cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "3",
					["reformers"] = {
						[1] = "LAlt",
					},
				},
			},
			["name"] = "ICP - Priority Function Button: IFF",
		},
		["d3016pnilu3016cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "C",
					["reformers"] = {
						[1] = "LCtrl",
					},
				},
			},
			["name"] = "Canopy - Open/Close",
		},
		["d3017pnilu3017cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "E",
					["reformers"] = {
						[1] = "LCtrl",
						[2] = "LAlt",
						[3] = "LShift",
					},
				},
			},
			["name"] = "Ejection Handle",
		},
		["d3018pnilu3018cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "M",
					["reformers"] = {
						[1] = "LShift",
					},
				},
			},
			["name"] = "Master Arm Switch",
		},
		["d3019pnilu3019cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "W",
					["reformers"] = {
						[1] = "LCtrl",
					},
				},
			},
			["name"] = "Jettison All",
		},
		["d3020pnilu3020cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Num*",
				},
			},
			["name"] = "Zoom in slow",
		},
		["d3021pnilu3021cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Num/",
				},
			},
			["name"] = "Zoom out slow",
		},
		["d3022pnilu3022cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "PageUp",
				},
			},
			["name"] = "Throttle Up",
		},
		["d3023pnilu3023cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "PageDown",
				},
			},
			["name"] = "Throttle Down",
		},
		["d3024pnilu3024cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Pause",
				},
			},
			["name"] = "Pause",
			["removed"] = {
				[1] = {
					["key"] = "Pause",
					["reformers"] = {
						[1] = "LShift",
					},
				},
			},
		},
		["d3025pnilu3025cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "]",
					["reformers"] = {
						[1] = "RShift",
					},
				},
			},
			["name"] = "HUD Brightness Up",
		},
		["d3026pnilu3026cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "[",
					["reformers"] = {
						[1] = "RShift",
					},
				},
			},
			["name"] = "HUD Brightness Down",
		},
		["d3027pnilu3027cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "\\",
				},
			},
			["name"] = "Radio Menu",
		},
		["d3028pnilu3028cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "MOUSE_BTN3",
				},
			},
			["name"] = "Mouse Look",
		},
		["d3029pnilu3029cd5vd1vpnilvu0"] = {
			["added"] = {
				[1] = {
					["key"] = "Num5",
				},
				[2] = {
					["key"] = "F12",
					["reformers"] = {
						[1] = "LWin",
					},
				},
			},
			["name"] = "Center View",
		},
		["d3030pnilu3030cd5vd1vpnilvu0"] = {
			["name"] = "Unbound Test",
			["removed"] = {
				[1] = {
					["key"] = "U",
				},
			},
		},
	},
}
return diff
